"""Issue 16, "two languages" in the browser: with a Vietnamese browser (its languages and
Accept-Language `vi`) a new user signs up, makes a group and a plan with a cost in VND, and
sends a chat message, and every page on the way is in Vietnamese — `<html lang="vi">`, the
texts of the catalogue (static/web/locale/vi.js), an API error in Vietnamese, and money as
`1.250.000 ₫`. The one REST call is another (English-speaking) person's friend request, whose
notice Lan reads in Vietnamese: the server writes it in the recipient's language."""

import re

from playwright.sync_api import expect

from planpal.accounts.models import User
from tests.conftest import PASSWORD, make_user
from tests.web.axe import assert_accessible
from tests.web.conftest import api_as, wait_live

VND = re.compile(r"1\.250\.000\s₫")  # Intl puts a no-break space before the sign


def dialog(page):
    return page.get_by_role("dialog")


def sign_up_in_vietnamese(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập vào PlanPal")).to_be_visible()
    page.get_by_role("link", name="Tạo tài khoản mới").click()
    expect(page.get_by_role("heading", name="Tạo tài khoản của bạn")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Tên hiển thị").fill("Nguyễn Thị Lan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    # The API's own error, in the request's language: the summary, and beside the field.
    form = page.get_by_role("form", name="Tạo tài khoản mới")
    expect(form.get_by_role("alert")).to_contain_text("không hợp lệ")
    expect(form.get_by_text(re.compile(r"^Trường này"))).to_be_visible()
    page.get_by_label("Địa chỉ email").fill("lan@example.com")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", name="Chuyến đi của bạn")).to_be_visible()


def group_and_plan(page) -> None:
    page.get_by_role("button", name="Nhóm mới").click()
    dialog(page).get_by_label("Tên").fill("Nhóm Đà Lạt")
    dialog(page).get_by_role("button", name="Tạo nhóm").click()
    expect(page.get_by_role("link", name="Nhóm Đà Lạt", exact=True)).to_be_visible()
    expect(page.locator(".group-card")).to_contain_text("1 thành viên")
    page.get_by_role("button", name="Kế hoạch mới").click()
    expect(dialog(page).get_by_text(re.compile(r"^Thời gian theo múi giờ "))).to_be_visible()
    dialog(page).get_by_label("Tiêu đề").fill("Đà Lạt cuối tuần")
    dialog(page).get_by_role("button", name="Tạo kế hoạch").click()
    expect(page.get_by_role("heading", name="Đà Lạt cuối tuần", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Lịch trình")).to_be_visible()
    expect(page.locator(".badge[data-status=upcoming]")).to_have_text("Sắp diễn ra")


def activity_in_vnd(page) -> None:
    page.get_by_role("button", name="Thêm hoạt động").click()
    dialog(page).get_by_label("Tiêu đề").fill("Cà phê ở hồ Xuân Hương")
    dialog(page).get_by_label("Chi phí dự kiến").fill("1250000")
    dialog(page).get_by_label("Đơn vị tiền tệ").fill("VND")
    dialog(page).get_by_role("button", name="Thêm hoạt động").click()
    expect(dialog(page)).to_have_count(0)
    activity = page.locator("li.activity", has_text="Cà phê ở hồ Xuân Hương")
    expect(activity).to_contain_text(VND)
    expect(page.locator(".trip-total")).to_contain_text("Chi phí dự kiến của chuyến đi:")
    expect(page.locator(".trip-total")).to_contain_text(VND)
    expect(
        activity.get_by_role("button", name=re.compile("^Đánh dấu .* là đã xong$"))
    ).to_be_visible()


def chat(page) -> None:
    page.get_by_role("link", name="Trò chuyện nhóm").click()
    wait_live(page)
    expect(page.locator("#connection")).to_contain_text("Trực tuyến")
    page.get_by_role("textbox", name="Tin nhắn").fill("Chào cả nhóm! Đi Đà Lạt nhé?")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator(".message", has_text="Chào cả nhóm! Đi Đà Lạt nhé?")).to_have_count(1)
    expect(
        page.get_by_role("button", name=re.compile("^Trả lời tin nhắn: Chào cả nhóm"))
    ).to_be_visible()


def a_friend_request_read_in_vietnamese(page, server) -> None:
    minh = make_user("minh", display_name="Tran Minh")
    lan = User.objects.get(username="lan")
    with api_as(server, minh) as api:
        assert api.post("/friends", json={"user": lan.pk}).status_code == 201
    page.get_by_role("button", name=re.compile(r"^Thông báo, 1 chưa đọc")).click()
    notice = page.get_by_role("button", name=re.compile("Tran Minh muốn kết bạn với bạn"))
    expect(notice.first).to_be_visible()


def test_a_vietnamese_browser_goes_from_sign_up_to_chat_in_vietnamese(browsing, server):
    browsing.allow("status of 400")  # the sign-up sent without an e-mail, on purpose
    page = browsing.page(browsing.person(locale="vi-VN"), "/")
    sign_up_in_vietnamese(page)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link")).to_have_text(["Chuyến đi", "Trò chuyện", "Bạn bè", "Hồ sơ"])
    expect(page.get_by_role("button", name="Thông báo")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    group_and_plan(page)
    activity_in_vnd(page)
    assert_accessible(page, "plan page in Vietnamese")
    chat(page)
    a_friend_request_read_in_vietnamese(page, server)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # The account keeps the language it signed up in: a reload renders the shell in it.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert (
        page.evaluate("JSON.parse(document.getElementById('boot').textContent).me.language") == "vi"
    )


def test_the_switch_turns_the_page_into_english_and_back(browsing):
    page = browsing.page(browsing.person(locale="vi-VN"), "/")
    expect(page.get_by_role("heading", name="Đăng nhập vào PlanPal")).to_be_visible()
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("heading", name="Sign in to PlanPal")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("vi")
    expect(page.get_by_role("heading", name="Đăng nhập vào PlanPal")).to_be_visible()
