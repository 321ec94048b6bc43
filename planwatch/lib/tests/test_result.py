from planwatch.lib.result import Result


def test_it_is_ok_without_warnings():
    assert Result(1).ok


def test_it_is_not_ok_with_a_warning():
    assert not Result(None, ("Không đọc được số “abc”",)).ok
