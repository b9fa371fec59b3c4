"""Curriculum YAML -> data, with the line each field is written on, for `file:line` problems.

Safe against hostile input: PyYAML's safe loader, every node visited once (aliases are not
expanded again), and values the database cannot store refused at their line.
"""

import yaml
from yaml.constructor import ConstructorError

from learning.authoring.curriculum_limits import UNSTORABLE


def load_yaml(text, first_line=1):
    """YAML -> (data, {field path: line}). Raises yaml.YAMLError with a mark on malformed input.

    Every node is visited once: an alias is not followed again, so "billion laughs" anchors and
    self-referencing aliases cost one visit each. A scalar PyYAML cannot construct (2026-02-30,
    `!!int x`, a 5,000-digit number) and a duplicate field become YAMLErrors marked at their line.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines, seen = {}, set()

        def construct(current):
            try:
                value = loader.construct_object(current)
            except yaml.YAMLError:
                raise
            except Exception as error:  # PyYAML's scalar constructors raise ValueError, AttributeError...
                reason = f"cannot read {current.value[:40]!r}: {error}"
                raise ConstructorError(None, None, reason, current.start_mark) from error
            if isinstance(value, str) and UNSTORABLE.search(value):  # written as "\0" or "\ud800"
                raise ConstructorError(
                    None, None, "a NUL or lone surrogate character cannot be stored", current.start_mark
                )
            return value

        def walk(current, path, alias_line=None):
            if id(current) in seen:  # an alias: its line is where it is used, its node was walked
                lines.setdefault(path, alias_line or current.start_mark.line + first_line)
                return
            lines.setdefault(path, current.start_mark.line + first_line)
            seen.add(id(current))
            if isinstance(current, yaml.ScalarNode):
                construct(current)
            elif isinstance(current, yaml.MappingNode):
                keys = {}
                for key, value in current.value:
                    name = construct(key) if isinstance(key, yaml.ScalarNode) else id(key)
                    if isinstance(key, yaml.ScalarNode) and name in keys:
                        reason = f"duplicate field '{name}' (also on line {keys[name]})"
                        raise ConstructorError(None, None, reason, key.start_mark)
                    keys[name] = key.start_mark.line + first_line
                    walk(value, path + (name,), keys[name])
            elif isinstance(current, yaml.SequenceNode):
                for index, value in enumerate(current.value):
                    walk(value, path + (index,))

        if node is None:
            return None, lines
        walk(node, ())
        return loader.construct_document(node), lines
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None  # the recursion's traceback says nothing more
    finally:
        loader.dispose()
