import pytest

from accounts.errors import DomainError


class Refused(DomainError):
    code = "refused"

    def default_message(self) -> str:
        return "refused"


def test_a_domain_error_carries_the_code_it_is_raised_with():
    with pytest.raises(DomainError) as caught:
        raise DomainError("Số quyết định đã được dùng.", code="decision_number_taken")

    assert caught.value.code == "decision_number_taken"
    assert caught.value.message == str(caught.value) == "Số quyết định đã được dùng."
    assert DomainError.code == "domain_error"  # the class keeps its own


def test_a_subclass_keeps_its_class_level_code_unless_one_is_given():
    assert Refused().code == "refused" and Refused().message == "refused"
    assert Refused(code="refused_today").code == "refused_today"
    assert DomainError().code == "domain_error" and DomainError().message
