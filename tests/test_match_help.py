"""``cadre-rules match --help`` says that the ranks of the posts and the concurrent holdings (kiêm nhiệm) are pack
parameters (docs/match.md, "Rank of a post", "Concurrent holdings"), in the user's language."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli


@pytest.mark.parametrize(("lang", "ranks", "concurrent"), [
    ("en", "No one is proposed for a post ranked below one they hold; the ranks are pack parameters (post_rank_N).",
     "as a concurrent holding (kiêm nhiệm), as the pack parameters POST_concurrent_with say."),
    ("vi", "Không đề xuất ai vào chức danh có thứ bậc thấp hơn chức danh người đó đang giữ; thứ bậc chức danh là "
           "tham số của gói (post_rank_N).",
     "theo hình thức kiêm nhiệm, theo các tham số POST_concurrent_with của gói."),
], ids=["en", "vi"])
def test_match_help_names_the_ranks_and_the_concurrent_holdings(lang: str, ranks: str, concurrent: str) -> None:
    result = CliRunner().invoke(cli, ["match", "--help", "--lang", lang], terminal_width=10_000)
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # (click wraps the help: compare the words)
    assert ranks in said and concurrent in said
