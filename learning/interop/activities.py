"""xAPI activities: what a statement is about, named as the LRS should show it.

An activity's id is the canonical URL of the page on BASE_URL: the default-language page, which every record
is kept on (records/progress.py canonical_page), so the English, German and Polish pages are one activity. Its
name is a language map with the title in every language the page is live in ("en-US", "de-DE", "pl-PL").
A quiz is an assessment at its module's URL + "#quiz"; each question a cmi.interaction of type "choice" at
"#quiz/<question key>" (keys never change), its choices identified by their block ids, which are the same in
every language. A reading is the /go/<id>/ link the learner opened, named in the reading's own language.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from learning.catalogue import selectors as catalogue
from learning.catalogue.models import ModulePage
from learning.catalogue.quiz import questions_from_quiz

# ADL's activity types (http://adlnet.gov/expapi/activities/) and cmi5's course and block
# (../shared/external/xapi/adl-profiles/): a path is a course, an area a block of modules.
TYPE_PATH = "https://w3id.org/xapi/cmi5/activities/course"
TYPE_AREA = "https://w3id.org/xapi/cmi5/activities/block"
TYPE_MODULE = "http://adlnet.gov/expapi/activities/module"
TYPE_QUIZ = "http://adlnet.gov/expapi/activities/assessment"
TYPE_QUESTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
TYPE_READING = "http://adlnet.gov/expapi/activities/link"

# RFC 5646 tags for the site's languages in language maps; a language not listed keeps its own code.
LANGUAGE_TAGS = {"en": "en-US", "de": "de-DE", "pl": "pl-PL"}


def language_tag(code):
    return LANGUAGE_TAGS.get(code, code)


def site_url(path):
    """An absolute URL on BASE_URL, which activity ids and the actor's home page are built on."""
    return settings.BASE_URL.rstrip("/") + path


def page_url(page):
    """The canonical URL of a default-language page: its path under its site, on BASE_URL."""
    return site_url(page.get_url_parts()[2])


def titles_by_language(pages):
    """{translation key: {language tag: title}} of every live version of the pages: 1 query however many."""
    names = {page.translation_key: {} for page in pages}
    rows = Page.objects.filter(translation_key__in=names, live=True).values_list(
        "translation_key", "locale__language_code", "title"
    )
    for key, language, title in rows:
        names[key][language_tag(language)] = title
    for page in pages:  # an unpublished page still has its own title
        names[page.translation_key].setdefault(language_tag(page.locale.language_code), page.title)
    return names


def page_activity(page, activity_type, names):
    return {
        "objectType": "Activity",
        "id": page_url(page),
        "definition": {"type": activity_type, "name": names[page.translation_key]},
    }


def quiz_id(module):
    return page_url(module) + "#quiz"


def quiz_name(title, tag):
    """The quiz's name in the language of the tag: "Returns: quiz", "Retouren: Quiz"."""
    code = next((code for code, known in LANGUAGE_TAGS.items() if known == tag), tag)
    with translation.override(code):
        return gettext("%(module)s: quiz") % {"module": title}


def quiz_activity(module, names):
    name = {tag: quiz_name(title, tag) for tag, title in names[module.translation_key].items()}
    return {"objectType": "Activity", "id": quiz_id(module), "definition": {"type": TYPE_QUIZ, "name": name}}


def reading_activity(link):
    return {
        "objectType": "Activity",
        "id": site_url(reverse("reading_go", args=[link.pk])),
        "definition": {
            "type": TYPE_READING,
            "name": {language_tag(link.language): link.title},
            "moreInfo": link.url,
        },
    }


def quizzes_by_language(module):
    """{language tag: [Question]} of the module's quiz in every language it is live in: 1 query."""
    versions = ModulePage.objects.filter(translation_key=module.translation_key, live=True).select_related("locale")
    quizzes = {language_tag(page.locale.language_code): questions_from_quiz(page.quiz) for page in versions}
    quizzes.setdefault(language_tag(module.locale.language_code), questions_from_quiz(module.quiz))
    return quizzes


def response_pattern(choice_ids):
    """cmi.interaction's choice format: the ids joined by "[,]"; no choice is the empty string."""
    return "[,]".join(choice_ids)


def question_activity(module, question, quizzes):
    """A question as a cmi.interaction "choice": its prompt and choices in every language the quiz is in,
    and the one right response (every right choice, in the quiz's order)."""
    by_key = {tag: {q.key: q for q in questions} for tag, questions in quizzes.items()}
    versions = {tag: questions[question.key] for tag, questions in by_key.items() if question.key in questions}
    choice_texts = {choice.id: {} for choice in question.choices}
    for tag, version in versions.items():
        for choice in version.choices:
            if choice.id in choice_texts:
                choice_texts[choice.id][tag] = choice.text
    return {
        "objectType": "Activity",
        "id": f"{quiz_id(module)}/{question.key}",
        "definition": {
            "type": TYPE_QUESTION,
            "name": {tag: version.prompt for tag, version in versions.items()},
            "interactionType": "choice",
            "correctResponsesPattern": [response_pattern(c.id for c in question.choices if c.correct)],
            "choices": [{"id": choice.id, "description": choice_texts[choice.id]} for choice in question.choices],
        },
    }


def module_area(module):
    """The area a module lives in (its parent page), specific: 1 query."""
    return module.get_parent().specific


def default_language():
    return catalogue.default_language()
