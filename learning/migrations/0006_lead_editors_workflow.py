"""Every install gets a "Lead editors" group and a moderation workflow in which a lead editor
approves what editors submit. It replaces Wagtail's default "Moderators approval" on the root page,
so it covers the whole academy; the curriculum importer publishes directly and is not held up."""
from django.db import migrations

WORKFLOW, GROUP = "Lead editors approval", "Lead editors"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors = Group.objects.get(name="Editors")
    leads, _ = Group.objects.get_or_create(name=GROUP)
    leads.permissions.add(*editors.permissions.all())
    for permission in GroupPagePermission.objects.filter(group=editors):
        GroupPagePermission.objects.get_or_create(group=leads, page=permission.page, permission=permission.permission)
    for permission in GroupCollectionPermission.objects.filter(group=editors):
        GroupCollectionPermission.objects.get_or_create(
            group=leads, collection=permission.collection, permission=permission.permission
        )

    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=content_type, active=True)
    task.groups.set([leads])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("learning", "0005_reading_checks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
