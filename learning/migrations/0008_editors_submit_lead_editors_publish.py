"""Approval is not optional: Editors save drafts and submit them to "Lead editors approval"; only Lead
editors (and superusers) publish. Editors lose publish_page on the root page (0003 gave it); Lead
editors keep it (0006 copied it) and approve through the workflow's task."""
from django.db import migrations

EDITORS, LEADS, PUBLISH = "Editors", "Lead editors", "publish_page"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename=PUBLISH, defaults={"name": "Can publish any page"}
    )
    GroupPagePermission.objects.filter(group__name=EDITORS, permission=publish).delete()
    leads = Group.objects.filter(name=LEADS).first()
    root = Page.objects.filter(depth=1).first()
    if leads is not None and root is not None:
        GroupPagePermission.objects.get_or_create(group=leads, page=root, permission=publish)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    publish = Permission.objects.filter(content_type__app_label="wagtailcore", codename=PUBLISH).first()
    editors = Group.objects.filter(name=EDITORS).first()
    root = Page.objects.filter(depth=1).first()
    if publish and editors and root:
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_team_view_all_teams"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(forwards, backwards)]
