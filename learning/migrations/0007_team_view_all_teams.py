from django.db import migrations


class Migration(migrations.Migration):
    """The "view all teams" permission (learning.teams.permissions.sees_all_teams): being staff no longer
    shows every team's people; an admin grants this instead."""

    dependencies = [
        ("learning", "0006_lead_editors_workflow"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="team",
            options={
                "ordering": ["name"],
                "permissions": [("view_all_teams", "Can see every team's members, progress and exports")],
            },
        ),
    ]
