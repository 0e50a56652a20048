"""Inviting a whole school runs as a background task with progress on the page (issue 17 item 6)."""

import pytest
from django.urls import reverse

from apps.core.models import BackgroundJob
from apps.meetings import services
from apps.meetings.models import Invitation
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fill_school(school_world, n):
    for i in range(n):
        child = ChildFactory(group=school_world["group"])
        GuardianshipFactory(child=child, user=UserFactory(full_name=f"Ouder Extra {i}"))


def test_whole_school_is_invited_by_a_task_with_progress(client, school_world, meeting, django_assert_max_num_queries):
    _fill_school(school_world, services.INVITE_IN_REQUEST_UP_TO)  # more than the request may do itself
    client.force_login(school_world["ib"])
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "all"})
    assert response.status_code == 302
    job = BackgroundJob.objects.get(user=school_world["ib"])
    assert response["Location"].endswith(f"?taak={job.pk}")
    expected = services.guardians_for(meeting).count()
    assert expected > services.INVITE_IN_REQUEST_UP_TO
    # In tests tasks run at once: the job is finished with every guardian invited exactly once.
    assert job.status == BackgroundJob.Status.DONE and job.done == job.total == expected
    assert meeting.invitations.filter(kind=Invitation.Kind.GUARDIAN).count() == expected
    assert "uitnodiging(en) verstuurd" in job.message
    page = client.get(response["Location"])
    assert f'id="job-{job.pk}"' in page.content.decode()
    assert "100" in client.get(reverse("core:job", args=[job.pk])).content.decode()
    # Again: nobody is invited twice.
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "all"})
    assert meeting.invitations.count() == expected


def test_a_small_audience_is_invited_in_the_request(client, school_world, meeting):
    client.force_login(school_world["ib"])
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "all"})
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert not BackgroundJob.objects.exists()
    assert meeting.invitations.count() == services.guardians_for(meeting).count()


def test_only_the_starter_sees_a_jobs_progress(client, school_world, meeting):
    _fill_school(school_world, services.INVITE_IN_REQUEST_UP_TO)
    client.force_login(school_world["ib"])
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "all"})
    job = BackgroundJob.objects.get()
    client.force_login(school_world["director"])
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 302  # to the log-in page


def test_a_failing_batch_marks_the_job_failed_and_keeps_what_was_sent(client, school_world, meeting, monkeypatch):
    _fill_school(school_world, services.INVITE_IN_REQUEST_UP_TO + 100)
    real_invite, calls = services.invite, []

    def second_batch_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("mail server gone")
        return real_invite(*args, **kwargs)

    monkeypatch.setattr(services, "invite", second_batch_fails)
    client.force_login(school_world["ib"])
    # The task fails (the worker logs it); the page the user is sent to shows the failure.
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "all"})
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert meeting.invitations.count() == 100  # the first batch stays; a new run continues from there
    assert "Probeer het opnieuw" in job.message
