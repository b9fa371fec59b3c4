"""Editors and Lead editors may translate a page in the admin (wagtail.contrib.simple_translation's
"Translate" action): the action asks for simple_translation.submit_translation as well as the right to
edit the page. The translation is a draft that goes through the same approval as any edit."""

from django.db import migrations

GROUPS = ("Editors", "Lead editors")


def _permission(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="simple_translation", model="simpletranslation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _permission(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _permission(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("learning", "0008_editors_submit_lead_editors_publish"), ("simple_translation", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
