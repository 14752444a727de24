"""``privacy_liked_videos``: can other people see the videos this user liked?"""

from __future__ import annotations

from checks.api import Check, CheckContext, CheckResult, Param, Status
from checks.export.load import MAX_UNPACKED_MB

PRIVATE_EXPLAINED = (
    "Your liked videos are private. Other people see an empty Liked tab (with a lock) on your "
    "profile, which to them looks as if your likes disappeared. Your likes are still there; "
    "only you can see them."
)


def _names_a_setting(value: str) -> bool:
    """Whether ``value`` says public or private in other words (public, only me, off…)."""
    from checks.export.layout import privacy_word

    return privacy_word("liked videos", value) is not None


class PrivacyLikedVideosCheck(Check):
    """Reads the "Liked videos" privacy setting from what the user reports, or the export."""

    id = "privacy_liked_videos"
    title = "Who can see your liked videos"
    description = "Works out whether your liked videos are visible to others, and what that means."
    outcomes = ("public", "private", "unknown")
    params = (
        Param(
            "setting",
            'what Settings and privacy → Privacy → Liked videos shows ("Everyone" or "Only me")',
            choices=("Everyone", "Only me", "I cannot find it"),
            accepts=_names_a_setting,
        ),
        Param("export", "your data export, if it records the setting"),
    )
    settings = (MAX_UNPACKED_MB,)
    timeout_s = 30.0

    async def run(self, context: CheckContext) -> CheckResult:
        from checks.export.layout import privacy_word

        setting = context.param("setting") or ""
        word = privacy_word("liked videos", setting) if setting else None
        source = "reported"
        if word is None and context.param("export"):
            word = await self._from_export(context)
            source = "export"
        where = "Profile → Menu → Settings and privacy → Privacy → Liked videos"
        if word == "private":
            return self.result(
                "private",
                Status.WARNING,
                "Only you can see your liked videos.",
                advice=PRIVATE_EXPLAINED + f" To change it: {where} → Everyone.",
                details={"setting": "only me", "from": source},
            )
        if word == "public":
            return self.result(
                "public",
                Status.OK,
                "Everyone can see your liked videos.",
                advice=f"The setting is under {where}.",
                details={"setting": "everyone", "from": source},
            )
        return self.result(
            "unknown",
            Status.SKIPPED,
            "We could not tell who can see your liked videos.",
            advice=f"Look it up in the app: {where}. It says Everyone or Only me.",
            details={"setting": setting or None, "from": source},
        )

    async def _from_export(self, context: CheckContext) -> str | None:
        from checks.export.load import load_export

        export = await load_export(context, context.param("export") or "", self.id, "error")
        return export.liked_privacy
