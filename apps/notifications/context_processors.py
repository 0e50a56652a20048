def unread_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count as count

    return {"unread_notifications": count(user)}
