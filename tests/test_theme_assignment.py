"""A passage's closest theme among those left, as the assignment dissolves weak ones."""

import numpy as np

from synthesis.theme_assignment import closest_active


def test_closest_active_theme_is_the_argmax_over_the_themes_left_first_of_equals():
    rng = np.random.default_rng(0)
    cosines = rng.random((200, 6)).astype(np.float32).round(1)  # rounded: many ties
    cosines[:5] = 0.0  # passages close to no theme
    for active in (np.ones(6, dtype=bool), np.array([True, False, True, False, False, True])):
        theme, closeness = closest_active(cosines, active)
        masked = np.where(active, cosines, np.float32(-1.0))
        assert theme.tolist() == masked.argmax(axis=1).tolist()
        assert closeness.tolist() == masked.max(axis=1).tolist()
        assert closeness.dtype == np.float32
