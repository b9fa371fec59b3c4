"""What changed: a significant revision's note reaches the learners who completed an earlier version, with the
changed blocks marked on the module; opening it records the re-reading; the editor report counts them."""

import pytest

from learning.catalogue.revision_diff import body_changes
from learning.catalogue.revision_models import RevisionNote
from learning.records import revisions
from learning.records.revision_models import ModuleReRead
from tests.factories import work_through


def publish(module, *, note="", significant=False, body=None, user=None):
    module = type(module).objects.get(pk=module.pk)
    if body is not None:
        module.body = body
    module.change_note, module.significant_change = note, significant
    revision = module.save_revision(user=user)
    revision.publish()
    return type(module).objects.get(pk=module.pk)


def revised_body(module):
    """The module's body with its first text block rewritten and a callout added at the end."""
    raw = [dict(block) for block in module.body.raw_data]
    first_text = next(index for index, block in enumerate(raw) if block["type"] == "text")
    raw[first_text] = {**raw[first_text], "value": "<p>The withdrawal period is now 30 days.</p>"}
    raw.append({"type": "callout", "value": {"kind": "note", "title": "New", "text": "<p>Since 2027.</p>"}})
    return raw, raw[first_text]["id"]


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Learner")
    client.force_login(user)
    return user


def complete_earlier(user, module):
    """Complete the module as published now, before the revision the test publishes next."""
    work_through(user, [module])


def test_a_significant_revision_is_shown_with_its_note_and_changed_blocks_then_recorded_as_reread(
    client, academy, lena
):
    module = academy["returns"]
    complete_earlier(lena, module)
    body, changed_id = revised_body(module)
    publish(module, note="Returns now take 30 days.", significant=True, body=body)

    mine = client.get("/learn/").content.decode()
    assert "Updated since you completed it" in mine and "Returns now take 30 days." in mine

    html = client.get(module.url).content.decode()
    assert "Updated since you completed it" in html and "Returns now take 30 days." in html
    assert html.count('class="revision-changed"') == 1 and html.count('class="revision-added"') == 1
    assert "The withdrawal period is now 30 days." in html.split('class="revision-changed"')[1]
    assert ModuleReRead.objects.filter(user=lena, module=module).count() == 1
    # Re-read: no longer on My learning; the module still marks what changed since the completion.
    assert "Updated since you completed it" not in client.get("/learn/").content.decode()
    assert 'class="revision-changed"' in client.get(module.url).content.decode()
    assert ModuleReRead.objects.filter(user=lena, module=module).count() == 1
    assert str(changed_id)


def test_a_revision_that_is_not_significant_or_came_before_the_completion_shows_nothing(client, academy, lena):
    module = academy["returns"]
    complete_earlier(lena, module)
    publish(module, note="Typo fixed.", significant=False)
    assert RevisionNote.objects.filter(module=module, significant=False).count() == 1
    assert "Updated since you completed it" not in client.get(module.url).content.decode()
    assert "Updated since you completed it" not in client.get("/learn/").content.decode()
    # Completed after a significant revision: nothing new to this learner.
    other = academy["shipping"]
    publish(other, note="New carriers.", significant=True)
    work_through(lena, [other])
    assert "New carriers." not in client.get(other.url).content.decode()
    assert not ModuleReRead.objects.exists()


def test_a_learner_who_has_not_completed_the_module_is_not_told_it_changed(client, academy, lena):
    module = academy["returns"]
    publish(module, note="Returns now take 30 days.", significant=True)
    assert "Returns now take 30 days." not in client.get(module.url).content.decode()


def test_the_note_belongs_to_one_revision_and_publishing_it_again_records_it_once(academy, make_user):
    module = academy["returns"]
    editor = make_user("ed")
    published = publish(module, note="Returns now take 30 days.", significant=True, user=editor)
    published.live_revision.publish()
    note = RevisionNote.objects.get(module=module)
    assert (note.note, note.significant, note.author, note.page_id) == (
        "Returns now take 30 days.",
        True,
        editor,
        module.pk,
    )
    # The next edit in the admin starts without the note.
    from learning.catalogue.revisions import ModulePageForm

    assert ModulePageForm.__init__ is not None
    form_class = type(module).get_edit_handler().get_form_class()
    form = form_class(instance=published, for_user=editor)
    assert form.initial["change_note"] == "" and form.initial["significant_change"] is False


def test_rereading_bumps_the_learners_state_version(academy, lena):
    module = academy["returns"]
    complete_earlier(lena, module)
    publish(module, note="Returns now take 30 days.", significant=True)
    lena.refresh_from_db()
    before = lena.progress_version
    notes = revisions.module_updates(user=lena, module=module)
    revisions.reread_record(user=lena, module=module, notes=notes)
    lena.refresh_from_db()
    assert lena.progress_version > before
    assert revisions.pending_updates(user=lena) == []


def test_body_changes_by_id_and_content():
    a = {"type": "text", "value": "<p>A</p>", "id": "0"}
    b = {"type": "text", "value": "<p>B</p>", "id": "1"}
    c = {"type": "text", "value": "<p>C</p>", "id": "2"}
    # An insertion at the top of a file-numbered body shifts every id: only the new block is marked.
    x = {"type": "callout", "value": {"kind": "tip", "text": "<p>X</p>"}, "id": "0"}
    shifted = [x, {**a, "id": "1"}, {**b, "id": "2"}, {**c, "id": "3"}]
    changes = body_changes([a, b, c], shifted)
    assert changes.marked == {"0": "added"} and changes.removed == []
    # Edited in the admin (same id, new text), one removed, one moved.
    edited = [{**b, "value": "<p>B2</p>"}, a]
    changes = body_changes([a, b, c], edited)
    assert changes.marked == {"1": "changed"} and changes.removed == [c]
    assert not body_changes([a, b], [b, a])


def test_a_curriculum_file_carries_a_change_note_into_the_published_revision(tmp_path, client, academy, lena):
    import shutil

    from learning.authoring.curriculum import read
    from learning.authoring.curriculum_pages import import_curriculum
    from tests.conftest import FIXTURE_CURRICULUM

    module = academy["returns"]
    complete_earlier(lena, module)
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE_CURRICULUM, root)
    file = root / "modules" / "logistics" / "returns.md"
    text = file.read_text().replace("pass_mark: 50\n", "pass_mark: 50\nchange_note: Returns now take 30 days.\n")
    file.write_text(text.replace("pass_mark: 50\n", "pass_mark: 50\nsignificant: true\n", 1))
    import_curriculum(read(root))
    note = RevisionNote.objects.get(module=module)
    assert (note.note, note.significant) == ("Returns now take 30 days.", True)
    assert "Returns now take 30 days." in client.get(module.url).content.decode()
    # Importing the same files again publishes nothing and records no second note.
    import_curriculum(read(root))
    assert RevisionNote.objects.filter(module=module).count() == 1


def test_the_learning_report_counts_rereads_after_the_latest_significant_revision(client, academy, lena, make_user):
    from django.urls import reverse

    from learning.authoring.revision_reports import reread_counts

    module = academy["returns"]
    complete_earlier(lena, module)
    publish(module, note="Returns now take 30 days.", significant=True)
    assert reread_counts()[module.pk] | {"revised_at": None} == {"revised_at": None, "to_reread": 1, "reread": 0}
    client.get(module.url)  # Lena opens it
    assert reread_counts()[module.pk]["reread"] == 1
    admin = make_user("boss", is_superuser=True, is_staff=True)
    client.force_login(admin)
    report = client.get(reverse("learning_reports:learning_results")).content.decode()
    assert "Re-read after revision" in report and "1 of 1 since" in report
