"""征求意见 in the staff portal: open drafts employees may read and comment on.

Thin views over policies_content.consultations; the access policy is applied there. A
consultation on a document the reader may not see answers exactly like one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from policies_content.stream import display_items, stream_to_parsed

from .consultations import (
    COMMENT_MAX_LENGTH,
    consultation_comment_add,
    consultation_for_user,
    open_consultations_for_user,
)


@login_required
def consultation_list(request):
    """征求意见: the drafts now open for comment that the signed-in employee may read."""
    return render(
        request,
        "policies_content/consultation_list.html",
        {"consultations": open_consultations_for_user(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request, consultation_id: int):
    """The draft text and a comment form while the consultation is open; read-only after."""
    consultation = consultation_for_user(user=request.user, consultation_id=consultation_id)
    if consultation is None:
        raise Http404
    errors, text = [], ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            consultation_comment_add(consultation=consultation, user=request.user, text=text)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Thank you. Your comment has been recorded."))
            return redirect("consultation_detail", consultation_id=consultation.pk)

    draft = consultation.draft()
    employee = getattr(request.user, "employee", None)
    task = consultation.task_state.task.specific if consultation.task_state else None
    may_record = task is not None and hasattr(task, "user_can_record")
    comments = consultation.comments.select_related("employee")
    return render(
        request,
        "policies_content/consultation_detail.html",
        {
            "consultation": consultation,
            "page": draft,
            "items": display_items(stream_to_parsed(draft.body))
            if hasattr(draft, "body")
            else None,
            "is_open": consultation.is_open,
            "comment_count": comments.count(),
            "own_comments": comments.filter(employee=employee) if employee else [],
            # HR, who summarise the outcome, read every comment with its author.
            "all_comments": comments if may_record and task.user_can_record(request.user) else None,
            "can_comment": employee is not None,
            "errors": errors,
            "text": text,
            "max_length": COMMENT_MAX_LENGTH,
        },
    )
