"""Admin forms for the policy library."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import PolicyCategoryPage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class DocumentImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Text (.txt, UTF-8 or GBK), Markdown (.md) or Word (.docx); several at once. "
            "Each regulation found becomes a draft for you to review."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=PolicyCategoryPage.objects.all(),
        required=False,
        empty_label=_("Choose by each document's title"),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.ZHIDU_DOCUMENT_IMPORT_MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files can be imported at once.")
                % {"count": settings.ZHIDU_DOCUMENT_IMPORT_MAX_FILES}
            )
        return files
