"""Kaplan-Meier and log-rank against a published analysis.

Data: Freireich et al. (1963) remission times (weeks) of leukaemia patients on 6-MP vs placebo, as
tabulated and analysed in Kleinbaum & Klein, *Survival Analysis: A Self-Learning Text* (3rd ed., 2012),
chapters 2 and 3: KM medians 23 weeks (6-MP) and 8 weeks (placebo); log-rank chi-square 16.79 (1 df,
p = 0.0000417). The 6-MP KM value S(10) = 0.753 is the book's table entry (0.8067 x (1 - 1/15)).
"""

import numpy as np
import pytest

from tools.retention.kaplan_meier import kaplan_meier, logrank

SIX_MP = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1] * 9 + [0] * 12
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def test_km_medians_and_values_match_the_book():
    km = kaplan_meier(SIX_MP, SIX_MP_EVENT)
    assert km.median == 23
    assert km.at(10) == pytest.approx(0.753, abs=5e-4)
    assert km.at(6) == pytest.approx(18 / 21)  # 3 events among 21 at risk at week 6
    assert kaplan_meier(PLACEBO, [1] * 21).median == 8


def test_logrank_matches_the_book():
    t = np.array(SIX_MP + PLACEBO)
    e = np.array(SIX_MP_EVENT + [1] * 21)
    g = np.array(["6-MP"] * 21 + ["placebo"] * 21)
    result = logrank(t, e, g)
    assert result.statistic == pytest.approx(16.79, abs=0.01)
    assert result.p_value == pytest.approx(4.17e-5, rel=0.01)
    # observed / expected events, Kleinbaum & Klein table: 6-MP O=9 E=19.25, placebo O=21 E=10.75
    assert result.observed.tolist() == [9, 21]
    assert result.expected == pytest.approx([19.25, 10.75], abs=0.01)


def test_three_groups_reduce_to_chi2_with_two_dof():
    t = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    result = logrank(t, [1] * 9, ["a", "a", "a", "b", "b", "b", "c", "c", "c"])
    assert result.dof == 2 and result.statistic > 0 and 0 < result.p_value < 1


def test_curve_not_reaching_half_has_no_median():
    assert kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0]).median is None


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError):
        kaplan_meier([1, -2], [1, 1])
    with pytest.raises(ValueError):
        logrank([1, 2], [1, 1], ["a", "a"])


def test_delayed_entry_risk_sets_by_hand():
    # subjects (entry, duration, event): A (0, 2, 1), B (3, 5, 1), C (0, 6, 0), D (4, 8, 1)
    # t=2: at risk A, C (B, D not yet entered) -> S = 1 - 1/2 = 0.5
    # t=5: at risk B, C, D -> S = 0.5 * (1 - 1/3) = 1/3;  t=8: at risk D only -> S = 0
    km = kaplan_meier([2, 5, 6, 8], [1, 1, 0, 1], entry=[0, 3, 0, 4])
    assert km.at_risk.tolist() == [2, 3, 1]
    assert km.survival == pytest.approx([0.5, 1 / 3, 0.0])


def test_logrank_with_zero_entry_equals_plain_test():
    t = np.array(SIX_MP + PLACEBO)
    e = np.array(SIX_MP_EVENT + [1] * 21)
    g = np.array(["6-MP"] * 21 + ["placebo"] * 21)
    assert logrank(t, e, g, entry=np.zeros(42)).statistic == pytest.approx(logrank(t, e, g).statistic)
