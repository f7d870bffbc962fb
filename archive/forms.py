from django import forms

from core.forms import BootstrapMixin, limited_char
from core.lists import QuickSelect

from .categories import Category
from .models import Addendum, ArchiveDocument, YearArchive


class UploadForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label="档案类别", choices=Category.choices)
    title = limited_char(ArchiveDocument, "title", label="标题")
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = limited_char(ArchiveDocument, "description", label="说明", required=False)
    file = forms.FileField(label="文件（PDF、图片、Word、Excel）", required=False)
    media_location = limited_char(
        ArchiveDocument, "media_location", label="影像存放位置（视频等不上传的资料）", required=False
    )
    media_duration = limited_char(ArchiveDocument, "media_duration", label="时长", required=False)


class ArchiveForm(BootstrapMixin, forms.Form):
    override_reason = limited_char(YearArchive, "override_reason", label="缺项放行理由（有缺项时必填）", required=False)


class ArchiveAllForm(ArchiveForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class AddendumForm(BootstrapMixin, forms.Form):
    object_type = forms.CharField(widget=forms.HiddenInput, max_length=100)
    object_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    reason = limited_char(Addendum, "reason", label="补充原因")
    text = limited_char(Addendum, "text", label="补充说明")


class StudioYearForm(BootstrapMixin, forms.Form):
    # QuickSelect: the 档案 page lists up to 500 studios here; Django's per-option template rendering of them was
    # most of the page's time at the benchmark's size (core.lists.QuickSelect renders the options in Python)
    studio = forms.TypedChoiceField(label="工作室", coerce=int, widget=QuickSelect())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
