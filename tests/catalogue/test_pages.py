import pytest
from wagtail.models import Page

from learning.models import AcademyHomePage, AreaIndexPage, AreaPage, ModulePage, PathIndexPage, PathPage


@pytest.mark.parametrize(
    "child, parent, allowed",
    [
        (AcademyHomePage, Page, True),
        (PathIndexPage, AcademyHomePage, True),
        (AreaIndexPage, AcademyHomePage, True),
        (PathPage, PathIndexPage, True),
        (AreaPage, AreaIndexPage, True),
        (ModulePage, AreaPage, True),
        (ModulePage, PathIndexPage, False),
        (ModulePage, AcademyHomePage, False),
        (PathPage, AreaPage, False),
        (AreaPage, PathIndexPage, False),
        (PathIndexPage, AreaIndexPage, False),
        (AcademyHomePage, AreaPage, False),
    ],
)
def test_a_page_can_only_be_created_where_it_belongs(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_modules_and_paths_are_leaves():
    assert ModulePage.allowed_subpage_models() == []
    assert PathPage.allowed_subpage_models() == []


def test_home_lists_paths_with_module_count_and_hours(client, academy):
    html = client.get("/").content.decode()
    assert "Starter" in html and "Payments specialist" in html
    # starter: 3 required modules and 1 elective of 20 minutes each; payments specialist: 3 required
    starter, specialist = (
        html.split("Payments specialist", 1)
        if html.index("Starter") < html.index("Payments specialist")
        else html.split("Starter", 1)[::-1]
    )
    assert "3 required + 1 elective" in starter and "about 1.3 hours" in starter
    assert "3 modules" in specialist and "about 1.0 hours" in specialist


def test_path_page_shows_stages_modules_minutes_and_electives(client, academy):
    html = client.get("/paths/starter/").content.decode()
    assert html.index("First week") < html.index("Payment basics") < html.index("First month") < html.index("Shipping")
    assert "20 min" in html and "Elective" in html and "Required" in html


def test_area_page_lists_its_modules_only(client, academy):
    html = client.get("/areas/payments/").content.decode()
    assert "Payment basics" in html and "Chargebacks" in html
    assert "Returns management" not in html


def test_area_index_lists_areas_with_counts(client, academy):
    html = client.get("/areas/").content.decode()
    assert "Payments" in html and "Logistics" in html and "2 modules" in html


def test_module_page_renders_objectives_body_blocks_and_readings(client, academy):
    html = client.get("/areas/payments/payment-basics/").content.decode()
    for expected in (
        "Explain payment basics",
        "<b>introductory</b>",
        "Why it matters",
        "callout-tip",
        "A garden shop",
        "Item one",
        "<dt>Term</dt>",
        "Example Institute",
        "10 min",
    ):
        assert expected in html


def test_module_page_never_tells_which_answer_is_right(client, academy):
    module = academy["payment-basics"]
    html = client.get(module.url).content.decode()
    assert "Which statement about payment basics is right?" in html and "A wrong one" in html
    # neither flags, nor feedback, nor explanations (which give the answer away) reach the page
    for leak in ("correct", "Yes.", "Not this one.", "Because it is.", "A and B."):
        assert leak not in html
    # choices carry no data attribute or class that differs between right and wrong ones
    right, wrong = html.index("<li>The right one</li>"), html.index("<li>A wrong one</li>")
    assert right and wrong


def test_unknown_address_gets_the_academy_404_page(client, academy):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_catalogue_is_public_by_default(client, academy):
    assert client.get("/paths/starter/").status_code == 200


def test_one_setting_makes_the_whole_site_require_sign_in(client, academy, settings, make_user):
    settings.ACADEMY_REQUIRE_LOGIN = True
    for url in ("/", "/paths/starter/", "/areas/payments/payment-basics/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/accounts/login/").status_code == 200
    client.force_login(make_user())
    assert client.get("/paths/starter/").status_code == 200


def test_catalogue_pages_run_a_fixed_number_of_queries(client, academy, django_assert_max_num_queries):
    # Home: site + page lookup (Wagtail routing), paths, path stats.
    with django_assert_max_num_queries(12):
        client.get("/")


def test_the_anonymous_path_page_tells_the_visitor_how_to_enrol(client, academy, settings):
    html = client.get("/paths/starter/").content.decode()
    assert '<a class="button" href="/accounts/login/?next=/paths/starter/">Sign in to enrol</a>' in html
    assert "/accounts/signup/" not in html and "sends you an invitation" in html
    settings.ACADEMY_SELF_SIGNUP = True
    html = client.get("/paths/starter/").content.decode()
    assert '<a href="/accounts/signup/">New here? Create an account</a>' in html


def test_path_cards_and_progress_count_modules_the_same_way(client, academy, make_user):
    """A card saying "4 modules" above progress "of 3" read as a contradiction: both say
    "3 required + 1 elective" (just "3 modules" without electives), and progress counts the required."""
    from learning.records import services

    learner = make_user("lena")
    services.enrolment_create(user=learner, path=academy["starter"])
    services.enrolment_create(user=learner, path=academy["payments-specialist"])
    client.force_login(learner)
    for url in ("/", "/paths/"):
        html = client.get(url).content.decode()
        assert "3 required + 1 elective" in html and "3 modules" in html and "4 modules" not in html
    assert "0 of 3 required modules" in client.get("/paths/starter/").content.decode()
    html = client.get("/learn/").content.decode()
    assert "0 of 3 required modules" in html and "0 of 3 modules" in html


def test_the_module_count_is_said_one_way():
    from learning.templatetags.path_counts import module_count

    assert module_count(7, 1) == "7 required + 1 elective"
    assert module_count(7, 2) == "7 required + 2 electives"
    assert module_count(7) == "7 modules" and module_count(1) == "1 module"
    assert module_count(7, 1, done=2) == "2 of 7 required modules"
    assert module_count(7, 0, done=2) == "2 of 7 modules"
