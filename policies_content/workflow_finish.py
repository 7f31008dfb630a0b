"""What happens when the last approval step is approved: the approved revision is published.

Wagtail's default (wagtail.workflows.publish_workflow_state) publishes as the last approver and
so requires them to hold the page "publish" permission. Here the completed workflow is the
authority to publish: approvers (批准人) or countersigning departments are deliberately *not*
given publish rights on the library, since that would let them publish drafts no one reviewed.
Wired by WAGTAIL_FINISH_WORKFLOW_ACTION; imported while wagtail.models loads, hence no imports
at module level.
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish the latest revision of the approved object, recorded as done by ``user``."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
