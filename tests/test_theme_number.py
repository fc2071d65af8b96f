"""The number of themes follows the content: generated corpora with a known number of topics."""

import pytest

from synthesis.theme_number import largest_k
from synthesis.themes import ThemeModel
from tests.theme_corpora import generated_answers


@pytest.mark.parametrize("n_topics", [2, 3, 4, 6, 8])
def test_the_number_of_topics_is_found_and_one_off_remarks_fit_no_theme(n_topics):
    texts, topics = generated_answers(n_topics, seed=n_topics)
    model = ThemeModel(random_state=0).fit_passages(texts)
    themes = [set(theme.respondent_keys) for theme in model.themes_ if not theme.is_other]
    assert len(themes) == n_topics
    for topic in range(n_topics):  # each topic has a theme that is mostly it
        members = {str(i) for i, of in enumerate(topics) if of == topic}
        assert max(2 * len(members & theme) / (len(members) + len(theme)) for theme in themes) > 0.8
    one_offs = {str(i) for i, topic in enumerate(topics) if topic == -1}
    [other] = [theme for theme in model.themes_ if theme.is_other]
    assert other.label == "Annet / enkeltinnspill"
    assert one_offs <= set(other.respondent_keys)


def test_more_text_allows_more_themes_within_bounds():
    assert largest_k(10, 12) == 2
    assert largest_k(200, 12) == 10
    assert largest_k(100_000, 12) == 12
