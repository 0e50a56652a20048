import pytest
from django.core.management import call_command

from apps.access.policy import Action, decide
from apps.circles.models import Child


@pytest.mark.django_db
def test_demo_loads_twice_and_guardian_sees_child(client):
    call_command("loaddemo")
    call_command("loaddemo")
    assert Child.objects.count() == 200
    noor = Child.objects.get(first_name="Noor", last_name="Peters")
    mother = noor.guardianships.get().user
    assert decide(mother, Action.VIEW, noor).allowed
    client.force_login(mother)
    response = client.get(f"/kinderen/{noor.pk}/")
    assert response.status_code == 200
    assert "Noor Peters" in response.content.decode()
