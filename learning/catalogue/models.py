"""The page tree: home, paths, areas, modules. Pages hold fields and panels; rules live elsewhere."""

import re

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from learning.catalogue import learner_hooks, selectors
from learning.catalogue.blocks import BodyBlock, QuizBlock
from learning.catalogue.caching import AnonymousPageCacheMixin
from learning.catalogue.quiz import question_for_learner, questions_from_quiz
from learning.catalogue.revisions import CHANGE_NOTE_HELP, SIGNIFICANT_HELP, ModulePageForm
from learning.catalogue.routing import DirectRouteMixin

# A reading opens through /go/<id>/, which redirects only to http(s): the one rule for the model,
# the curriculum importer and the redirect.
READING_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
LEVELS = [("beginner", _("Beginner")), ("intermediate", _("Intermediate")), ("advanced", _("Advanced"))]


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AcademyHomePage(DirectRouteMixin, AnonymousPageCacheMixin, Page):
    intro = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text=_("What the academy is, in a few sentences.")
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["learning.PathIndexPage", "learning.AreaIndexPage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("academy home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["paths"] = selectors.paths_for_catalogue(locale=self.locale)
        if request.user.is_authenticated:
            context.update(learner_hooks.call("home_context", user=request.user, language=self.locale.language_code))
        return context


class PathIndexPage(AnonymousPageCacheMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["learning.AcademyHomePage"]
    subpage_types = ["learning.PathPage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("path index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["paths"] = selectors.paths_for_catalogue(locale=self.locale)
        return context


class AreaIndexPage(AnonymousPageCacheMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["learning.AcademyHomePage"]
    subpage_types = ["learning.AreaPage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("area index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = selectors.areas_for_catalogue(self)
        return context


class AreaPage(AnonymousPageCacheMixin, Page):
    summary = models.TextField(help_text=_("One or two sentences: what this knowledge area covers."))
    order = models.PositiveIntegerField(default=0, help_text=_("Position in the catalogue; lower comes first."))

    parent_page_types = ["learning.AreaIndexPage"]
    subpage_types = ["learning.ModulePage"]
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("order")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        verbose_name = _("knowledge area")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.modules_for_area(self)
        return context


class ModulePageTag(TaggedItemBase):
    content_object = ParentalKey("learning.ModulePage", related_name="tagged_items", on_delete=models.CASCADE)


class ModulePage(AnonymousPageCacheMixin, RoutablePageMixin, Page):
    summary = models.TextField(help_text=_("One sentence shown in listings and search results."))
    objectives = models.TextField(help_text=_("One learning objective per line, starting with a verb."))
    minutes = models.PositiveIntegerField(default=20, help_text=_("Estimated minutes for reading and the quiz."))
    level = models.CharField(max_length=16, choices=LEVELS, default="beginner")
    tags = ClusterTaggableManager(through=ModulePageTag, blank=True)
    body = StreamField(
        BodyBlock(), blank=True, help_text=_("The explanatory text, examples, checklists and key terms.")
    )
    quiz = StreamField(QuizBlock(), blank=True, help_text=_("Questions the learner must pass to complete the module."))
    pass_mark = models.PositiveSmallIntegerField(
        default=70, help_text=_("Percent of questions answered right to pass the quiz.")
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text=_("When an expert last checked this module."))
    # This revision's note for learners who completed an earlier version (catalogue/revisions.py): blank on
    # every edit, kept in the revision, copied into a RevisionNote when the revision is published.
    change_note = models.TextField(_("change note"), max_length=1000, blank=True, help_text=CHANGE_NOTE_HELP)
    significant_change = models.BooleanField(_("significant revision"), default=False, help_text=SIGNIFICANT_HELP)

    parent_page_types = ["learning.AreaPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel([FieldPanel("minutes"), FieldPanel("level"), FieldPanel("tags")], heading=_("Facts")),
        FieldPanel("body"),
    ]
    quiz_panels = [FieldPanel("pass_mark"), FieldPanel("quiz")]
    reading_panels = [InlinePanel("readings", label=_("Reading"), heading=_("Curated readings"))]
    settings_panels = Page.settings_panels + [
        FieldPanel("last_reviewed"),
        MultiFieldPanel(
            [FieldPanel("significant_change"), FieldPanel("change_note")], heading=_("What changed in this revision")
        ),
    ]
    base_form_class = ModulePageForm
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(quiz_panels, heading=_("Quiz")),
            ObjectList(reading_panels, heading=_("Readings")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("readings", [index.SearchField("title"), index.SearchField("publisher")]),
        index.FilterField("level"),
    ]

    class Meta:
        verbose_name = _("learning module")

    @property
    def objective_list(self):
        return lines(self.objectives)

    @cached_property
    def area(self):
        return self.get_parent().specific

    @property
    def questions(self):
        """The quiz as learners see it before answering: prompts and choice texts, never which is right."""
        return [question_for_learner(question) for question in questions_from_quiz(self.quiz)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("readings", self.readings.all())
        return context

    preview_modes = [("", _("As a learner sees it")), ("answers", _("With the correct answers"))]

    def serve_preview(self, request, mode_name):
        """Editors preview without touching anyone's progress; the second mode shows the answer key."""
        request.is_preview = True
        context = {"preview": True}
        if mode_name == "answers":
            context["answer_key"] = questions_from_quiz(self.quiz)
        return self.render(request, context_overrides=context)

    # Learner actions are routes on the page; learning.records registers their views (learner_hooks).
    @path("")
    def index_route(self, request, *args, **kwargs):
        return learner_hooks.call("module_page", request, self)

    @path("quiz/")
    def quiz_submit(self, request):
        return learner_hooks.call("quiz_submit", request, self)

    @path("quiz/<int:attempt_id>/")
    def quiz_result(self, request, attempt_id):
        return learner_hooks.call("quiz_result", request, self, attempt_id)

    @path("complete/")
    def complete(self, request):
        return learner_hooks.call("module_complete", request, self)


class ReadingLink(Orderable):
    KINDS = [
        ("documentation", _("Documentation")),
        ("legal text", _("Legal text")),
        ("standard", _("Standard")),
        ("research", _("Research")),
        ("guide", _("Guide")),
        ("article", _("Article")),
        ("video", _("Video")),
    ]
    module = ParentalKey(ModulePage, related_name="readings", on_delete=models.CASCADE)
    title = models.CharField(max_length=255)
    url = models.URLField(
        max_length=500, validators=[URLValidator(schemes=["http", "https"])], help_text=_("http or https only.")
    )
    publisher = models.CharField(max_length=255, help_text=_("Who publishes it, e.g. the European Commission."))
    kind = models.CharField(max_length=32, choices=KINDS, default="article")
    language = models.CharField(max_length=8, default="en")
    minutes = models.PositiveIntegerField(default=10)
    why = models.CharField(max_length=300, help_text=_("One line: why it is worth reading."))
    # Written by check_reading_links: the last check's HTTP status (None: no answer), where the
    # redirects ended, the redirect chain, and any error.
    check_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    check_final_url = models.URLField(max_length=500, blank=True, editable=False)
    check_redirects = models.JSONField(default=list, blank=True, editable=False)
    check_error = models.CharField(max_length=300, blank=True, editable=False)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("publisher"),
        FieldPanel("kind"),
        FieldPanel("language"),
        FieldPanel("minutes"),
        FieldPanel("why"),
    ]

    def __str__(self):
        return self.title


class PathPage(AnonymousPageCacheMixin, RoutablePageMixin, Page):
    role = models.CharField(
        max_length=255, help_text=_("The role in one line, e.g. 'Runs the online shop day to day'.")
    )
    audience = models.TextField(help_text=_("Who this path is for."))
    outcomes = models.TextField(help_text=_("What learners can do at the end: one outcome per line."))
    order = models.PositiveIntegerField(default=0, help_text=_("Position in the catalogue; lower comes first."))

    parent_page_types = ["learning.PathIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("audience"),
        FieldPanel("outcomes"),
        FieldPanel("order"),
        InlinePanel("steps", label=_("Step"), heading=_("Modules in order"), min_num=1),
    ]
    search_fields = Page.search_fields + [index.SearchField("role"), index.SearchField("audience")]

    class Meta:
        verbose_name = _("learning path")

    @property
    def outcome_list(self):
        return lines(self.outcomes)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(learner_hooks.call("path_context", path=self, user=request.user))
        context["self_signup"] = settings.ACADEMY_SELF_SIGNUP  # a visitor is told how to enrol
        return context

    @path("enrol/")
    def enrol(self, request):
        return learner_hooks.call("path_enrol", request, self)


class PathStep(Orderable):
    path = ParentalKey(PathPage, related_name="steps", on_delete=models.CASCADE)
    module = models.ForeignKey(ModulePage, related_name="+", on_delete=models.PROTECT)
    stage = models.CharField(
        max_length=100, help_text=_("e.g. 'First week'. Consecutive steps with the same label form a stage.")
    )
    required = models.BooleanField(
        default=True, help_text=_("Elective steps do not count towards the path's progress.")
    )

    panels = [FieldPanel("module"), FieldPanel("stage"), FieldPanel("required")]

    def __str__(self):
        return f"{self.stage}: {self.module}"
