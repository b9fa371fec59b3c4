from django.db import models


class CurriculumSource(models.Model):
    """What load_curriculum last wrote to a page: the file's hash and the revision it published.

    A page whose latest revision is not the one recorded here was edited in the admin since.
    """

    page = models.OneToOneField("wagtailcore.Page", related_name="curriculum_source", on_delete=models.CASCADE)
    file = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64)
    revision_id = models.BigIntegerField(null=True)
    imported_at = models.DateTimeField(auto_now=True)
