"""The seam between the catalogue and the learner's records.

Pages serve everyone; what a signed-in learner sees and does on them (progress, the quiz, enrolment,
Continue) belongs to learning.records, which imports the pages. So the pages never import records
back: records registers its views and context readers here when the app is ready
(learning.apps.LearningConfig.ready), and the pages call them by name. The arrows point one way.
"""

_handlers = {}


def register(**handlers):
    _handlers.update(handlers)


def call(name, *args, **kwargs):
    """Run the registered handler; a missing one is a wiring bug, so fail loudly with its name."""
    try:
        handler = _handlers[name]
    except KeyError:
        raise LookupError(f"no learner handler '{name}' is registered (LearningConfig.ready registers them)") from None
    return handler(*args, **kwargs)
