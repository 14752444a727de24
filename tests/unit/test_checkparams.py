"""A check's parameters are checked against its declaration before it runs."""

from __future__ import annotations

import pytest

from checks.app_version import AppVersionCheck
from checks.data_export import DataExportCheck
from checks.privacy import PrivacyLikedVideosCheck
from checks.speed.check import SpeedCheck
from wizard.checkparams import ParamError, checked_params


@pytest.mark.parametrize(
    ("check", "params", "words"),
    [
        (
            SpeedCheck,
            {"backend": "foo"},
            "parameter backend cannot be 'foo'; use auto, http, ookla",
        ),
        (
            DataExportCheck,
            {"export": "x.zip", "mode": "banana"},
            "parameter mode cannot be 'banana'; use summary, likes, videos, follows",
        ),
        (
            AppVersionCheck,
            {"platform": "windows", "version": "37.5.4"},
            "parameter platform cannot be 'windows'; use android, ios, web",
        ),
        (
            PrivacyLikedVideosCheck,
            {"setting": "maybe"},
            "parameter setting cannot be 'maybe'; use Everyone, Only me, I cannot find it",
        ),
        (SpeedCheck, {"backnd": "http"}, "takes no parameter 'backnd'; did you mean 'backend'?"),
        (AppVersionCheck, {"platform": "ios"}, "needs the parameter version"),
    ],
)
def test_values_a_check_does_not_allow_are_refused(check, params, words) -> None:
    with pytest.raises(ParamError) as caught:
        checked_params(check, params)
    assert words in str(caught.value) and repr(check.id) in str(caught.value)


def test_allowed_values_reach_the_check_spelled_as_declared() -> None:
    assert checked_params(AppVersionCheck, {"platform": "iOS", "version": "1"}) == {
        "platform": "ios",
        "version": "1",
    }
    assert checked_params(PrivacyLikedVideosCheck, {"setting": "only me"}) == {"setting": "Only me"}
    # Other words the setting is known by, and "not given", are allowed too.
    assert checked_params(PrivacyLikedVideosCheck, {"setting": "private"}) == {"setting": "private"}
    assert checked_params(AppVersionCheck, {"platform": "web", "version": ""})["version"] == ""
    assert checked_params(DataExportCheck, {"export": "a.zip", "mode": ""})["mode"] == ""
