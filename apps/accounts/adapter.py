from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: guardians and children arrive through a school's invite."""

    def is_open_for_signup(self, request):
        return False
