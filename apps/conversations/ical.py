"""iCalendar (.ics) for conversations: the invitation attachment and the schedule feed.

Texts are in the active language; the feed is made in its owner's language (docs/languages.md)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Status


def _event(conversation) -> Event:
    event = Event()
    event.add("uid", f"gesprek-{conversation.pk}@driehoek")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conversation.starts_at)
    event.add("dtend", conversation.ends_at)
    event.add(
        "summary", f"{conversation.get_kind_display()}: {conversation.child.first_name} {conversation.child.last_name}"
    )
    event.add("description", f"{_('Doel')}: {conversation.purpose}")  # in the active language
    if conversation.place:
        event.add("location", conversation.place)
    if conversation.video_url:
        event.add("url", conversation.video_url)
    event.add("sequence", conversation.version)
    event.add("status", "CANCELLED" if conversation.status == Status.CANCELLED else "CONFIRMED")
    return event


def calendar_for(conversations, name: str = "Driehoek") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Driehoek//gesprekken//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for c in conversations:
        cal.add_component(_event(c))
    return cal.to_ical()
