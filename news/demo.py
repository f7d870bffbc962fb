"""Demo rows (manage.py seed_demo), through news.services: two notices by 教学工作部 J0001 (one to all staff and public
on the showcase, one to the department heads), and two posts of the demo studio of T2001 刘洋 — one published by the
head of its department H2001, one waiting for him. Idempotent: nothing is added when the notices exist."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from studios.models import Studio

from . import services
from .models import Notice

NOTICES = (
    (
        "关于开展年度技能大师工作室建设成果展示的通知",
        "各系部、各技能大师工作室：\n\n为展示我校技能大师工作室建设成效，学校将在成果展示页集中展示各工作室的"
        "标志性成果与宣传报道。请各工作室及时撰写宣传报道，经系部审核后发布。\n\n教学工作部",
        "all",
        True,
    ),
    (
        "关于做好宣传报道审核工作的通知",
        "各系（部）主任：\n\n请在收到工作室提交的宣传报道后五个工作日内完成审核。\n\n教学工作部",
        "dept_head",
        False,
    ),
)


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_demo(password):
    publisher = User.objects.filter(username="J0001").first()
    if publisher is None or Notice.objects.filter(title=NOTICES[0][0]).exists():
        return
    for title, body, audience, public in NOTICES:
        if audience == "all":
            notice = services.create_notice(by=publisher, title=title, body=body, is_public=public)
        else:
            notice = services.create_notice(by=publisher, title=title, body=body, audience="role", role=audience)
        services.publish_notice(notice, by=publisher)
    master = User.objects.filter(username="T2001").first()
    head = User.objects.filter(username="H2001").first()
    studio = Studio.objects.filter(master=master, status="active").order_by("pk").first() if master else None
    if studio is None:
        return
    done = services.create_post(
        studio, by=master, title="工作室承办市级数控技能竞赛集训",
        body="本月，工作室承办了全市数控车工技能竞赛集训，来自五所学校的二十名选手参加。技能大师现场示范了复杂零件的"
        "加工工艺，团队成员分组指导，选手们的加工精度明显提高。",
    )  # fmt: skip
    services.add_post_photo(done, by=master, upload=_photo(), caption="集训现场")
    services.submit_post(done, by=master)
    if head is not None and head.department_id == studio.department_id:
        services.publish_post(done, by=head)
    waiting = services.create_post(
        studio, by=master, title="校企合作开发新型夹具",
        body="工作室与合作企业共同开发的新型快换夹具已在实训车间试用，装夹时间缩短一半。",
    )  # fmt: skip
    services.submit_post(waiting, by=master)
