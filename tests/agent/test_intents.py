"""Unit tests of the offline question engine: periods, numerals, follow-ups, corrections, language, help."""

from __future__ import annotations

from datetime import date

import pytest

from agent.compose import help_text
from agent.understand import Context, Correction, cn_number, detect_language, parse
from agent.understand.decide import intent_for
from agent.understand.vocabulary import TOOL_KEYWORDS
from tools.registry import TOOLS

AS_OF = date(2025, 12, 31)
CUSTOMERS = {
    "c00012": "C00012",
    "acme trading": "C00012",
    "c00031": "C00031",
    "上海星辰贸易有限公司": "C00031",
    "0007": "0007",
}


def ctx(**kw) -> Context:
    base = dict(as_of=AS_OF, customers=dict(CUSTOMERS), values={"segment": {"A", "B"}, "region": {"North"}})
    base.update(kw)
    return Context(**base)


def period(question: str, **kw) -> tuple[str | None, str | None]:
    args = parse(question, ctx(**kw)).arguments
    return args.get("start"), args.get("end")


# ---------------------------------------------------------------- periods (reference date 2025-12-31)
@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("profit in 2024", "2024-01-01", "2024-12-31"),
        ("2024年的利润", "2024-01-01", "2024-12-31"),
        ("二零二三年的利润", "2023-01-01", "2023-12-31"),
        ("profit last quarter", "2025-07-01", "2025-09-30"),
        ("上季度的利润", "2025-07-01", "2025-09-30"),
        ("profit this quarter", "2025-10-01", "2025-12-31"),
        ("profit this year", "2025-01-01", "2025-12-31"),
        ("今年的利润", "2025-01-01", "2025-12-31"),
        ("revenue year to date", "2025-01-01", "2025-12-31"),
        ("profit last year", "2024-01-01", "2024-12-31"),
        ("去年的利润", "2024-01-01", "2024-12-31"),
        ("前年的利润", "2023-01-01", "2023-12-31"),
        ("上个月的利润", "2025-11-01", "2025-11-30"),
        ("profit last month", "2025-11-01", "2025-11-30"),
        ("本月利润", "2025-12-01", "2025-12-31"),
        ("近三个月的利润", "2025-10-01", "2025-12-31"),
        ("profit in the last 3 months", "2025-10-01", "2025-12-31"),
        ("过去两年的利润", "2024-01-01", "2025-12-31"),
        ("profit over the past two years", "2024-01-01", "2025-12-31"),
        ("近半年的利润", "2025-07-01", "2025-12-31"),
        ("近一年的利润", "2025-01-01", "2025-12-31"),
        ("近30天利润", "2025-12-02", "2025-12-31"),
        ("last week revenue", "2025-12-22", "2025-12-28"),
        ("profit Q3 2024", "2024-07-01", "2024-09-30"),
        ("profit 2024 Q3", "2024-07-01", "2024-09-30"),
        ("profit in the third quarter of 2024", "2024-07-01", "2024-09-30"),
        ("2024年第三季度利润", "2024-07-01", "2024-09-30"),
        ("2024年三季度利润", "2024-07-01", "2024-09-30"),
        ("去年第四季度利润", "2024-10-01", "2024-12-31"),
        ("Q1 profit", "2025-01-01", "2025-03-31"),
        ("H2 2024 revenue", "2024-07-01", "2024-12-31"),
        ("2024年上半年收入", "2024-01-01", "2024-06-30"),
        ("上半年收入", "2025-01-01", "2025-06-30"),
        ("去年下半年收入", "2024-07-01", "2024-12-31"),
        ("revenue in March 2024", "2024-03-01", "2024-03-31"),
        ("2024年3月的收入", "2024-03-01", "2024-03-31"),
        ("revenue 2024-03", "2024-03-01", "2024-03-31"),
        ("3月的收入", "2025-03-01", "2025-03-31"),
        ("revenue in may 2024", "2024-05-01", "2024-05-31"),
        ("revenue from 2024-01-15 to 2024-02-10", "2024-01-15", "2024-02-10"),
        ("2024年1月1日至2024年6月30日的收入", "2024-01-01", "2024-06-30"),
        ("revenue between January and June 2025", "2025-01-01", "2025-06-30"),
        ("revenue from Nov to Feb", "2024-11-01", "2025-02-28"),
        ("2023年3月到2024年2月的收入", "2023-03-01", "2024-02-29"),
        ("2024年1-3月的收入", "2024-01-01", "2024-03-31"),
        ("2024年11月到2月的收入", "2024-11-01", "2025-02-28"),
        ("profit 2023-2024", "2023-01-01", "2024-12-31"),
        ("profit since March 2024", "2024-03-01", None),
        ("从2024年3月开始的利润", "2024-03-01", None),
        ("2024年以来的利润", "2024-01-01", None),
        ("profit before 2024", None, "2023-12-31"),
        ("profit until June 2024", None, "2024-06-30"),
        ("截至2024年6月的利润", None, "2024-06-30"),
        ("FY24 profit", "2024-01-01", "2024-12-31"),
    ],
)
def test_periods(question, start, end):
    assert period(question) == (start, end)


def test_relative_periods_count_from_as_of_not_the_clock():
    assert period("profit last quarter", as_of=date(2024, 5, 20)) == ("2024-01-01", "2024-03-31")
    assert period("profit this year", as_of=date(2024, 5, 20)) == ("2024-01-01", "2024-05-20")
    assert period("近三个月的利润", as_of=date(2024, 5, 20)) == ("2024-02-21", "2024-05-20")
    assert period("Q4 profit", as_of=date(2024, 5, 20)) == ("2023-10-01", "2023-12-31")


def test_fiscal_year_defines_this_year_and_quarters():
    april = dict(as_of=date(2025, 12, 31), fiscal_year_start_month=4)
    assert period("profit this year", **april) == ("2025-04-01", "2025-12-31")
    assert period("profit last year", **april) == ("2024-04-01", "2025-03-31")
    assert period("profit last quarter", **april) == ("2025-07-01", "2025-09-30")
    assert period("profit Q1 2025", **april) == ("2025-04-01", "2025-06-30")
    assert period("profit in 2024", **april) == (
        "2024-01-01",
        "2024-12-31",
    )  # a named year is a calendar year


def test_without_as_of_today_is_the_last_resort():
    today = date.today()
    assert period("profit this year", as_of=None) == (date(today.year, 1, 1).isoformat(), today.isoformat())


def test_rfm_as_of_and_end_for_other_tools():
    assert parse("RFM analysis as of 2025-06-30", ctx()).arguments == {"as_of": "2025-06-30"}
    assert parse("profit as of 2025-06-30", ctx()).arguments["end"] == "2025-06-30"


def test_invalid_dates_are_not_periods():
    args = parse("profit 2024-13-45", ctx()).arguments
    assert args.get("start") != "2024-13-01"


def test_may_the_verb_is_not_a_month():
    assert "start" not in parse("may I see revenue by region", ctx()).arguments


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("十", 10),
        ("五", 5),
        ("十五", 15),
        ("二十", 20),
        ("二十五", 25),
        ("两", 2),
        ("一百", 100),
        ("一百零五", 105),
        ("两百", 200),
        ("二零二四", 2024),
    ],
)
def test_cn_number(run, value):
    assert cn_number(run) == value


@pytest.mark.parametrize(
    ("question", "n", "order"),
    [
        ("利润前十的客户", 10, "top"),
        ("前5大客户", 5, "top"),
        ("利润最高的五个客户", 5, "top"),
        ("收入最低的十五个客户", 15, "bottom"),
        ("利润最低的二十个客户", 20, "bottom"),
        ("利润后五名", 5, "bottom"),
        ("利润倒数三名", 3, "bottom"),
        ("两个最赚钱的客户", 2, "top"),
        ("top five customers by profit", 5, "top"),
        ("twenty-five biggest clients", 25, "top"),
        ("bottom 10 customers by revenue", 10, "bottom"),
        ("5 least profitable customers", 5, "bottom"),
        ("Which 10 customers lose the most money", 10, "bottom"),
    ],
)
def test_counts_and_order(question, n, order):
    args = parse(question, ctx()).arguments
    assert (args.get("n"), args.get("order")) == (n, order)


def test_numerals_do_not_come_from_ordinary_words():
    for question in ("看一下利润", "做一个利润分析", "十分赚钱的客户", "profit by region for this one"):
        assert "n" not in parse(question, ctx()).arguments, question


def test_period_numbers_are_not_counts():
    args = parse("近三个月利润最高的客户", ctx()).arguments
    assert "n" not in args and args["start"] == "2025-10-01"
    args = parse("过去两年利润最高的前5个客户", ctx()).arguments
    assert args["n"] == 5 and args["start"] == "2024-01-01"
    assert "n" not in parse("profit share of the top 20% of customers", ctx()).arguments


# ---------------------------------------------------------------- metrics, dimensions, customers, segments
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("top customers by revenue", "revenue"),
        ("销售额最高的客户", "revenue"),
        ("毛利最高的客户", "gross_profit"),
        ("毛利率最低的客户", "margin"),
        ("净利润排名", "net_profit"),
        ("cost to serve by customer", "cost_to_serve"),
        ("服务成本最高", "cost_to_serve"),
        ("订单最多的客户", "orders"),
        ("成本最高的客户", "cost"),
        ("customers with the lowest margin", "margin"),
        ("亏损最多的客户", "profit"),
    ],
)
def test_metric(question, metric):
    assert parse(question, ctx()).arguments["metric"] == metric


@pytest.mark.parametrize(
    ("question", "dim"),
    [
        ("profit by region", "region"),
        ("按地区看利润", "region"),
        ("各行业的利润", "industry"),
        ("每个月的收入", "month"),
        ("monthly revenue", "month"),
        ("quarterly profit", "quarter"),
        ("按年看成本", "year"),
        ("profit per product", "product"),
        ("各渠道收入", "channel"),
        ("profit by acquisition channel", "acquisition_channel"),
        ("获客渠道的利润", None),
        ("按获客渠道看利润", "acquisition_channel"),
        ("哪个细分市场最赚钱", "segment"),
        ("利润趋势", "month"),
    ],
)
def test_group_by(question, dim):
    assert parse(question, ctx()).arguments.get("group_by") == dim


def test_named_customers_ids_names_and_short_names():
    c = ctx()
    assert parse("How profitable is customer C00012?", c).arguments["customer"] == "C00012"
    assert parse("Acme Trading's profit", c).arguments["customer"] == "C00012"
    assert parse("客户 上海星辰贸易 的利润", c).arguments["customer"] == "C00031"
    assert parse("上海星辰贸易有限公司的终身价值", c).arguments["customer"] == "C00031"
    assert parse("customer 0007 profit", c).arguments["customer"] == "0007"
    assert "customer" not in parse("top 7 customers by profit in 2007", c).arguments
    # an id not among the known ones is passed on as written (the tool says it is not found)
    assert parse("profit of customer X99", ctx(customers={})).arguments["customer"] == "X99"


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("at-risk customers", "At risk"),
        ("champions", "Champions"),
        ("重要价值客户", "Champions"),
        ("customers we can't lose", "Can't lose them"),
        ("不能失去的客户", "Can't lose them"),
        ("hibernating customers", "Hibernating"),
        ("沉睡客户", "Hibernating"),
        ("lost customers", "Lost"),
        ("已流失的客户", "Lost"),
        ("忠诚客户", "Loyal"),
        ("新客户", "New"),
    ],
)
def test_rfm_segments(question, segment):
    """Answered as the RFM segment, or (for the terse ones that could also mean churn risk or
    acquisition, "at-risk customers", "新客户") asked back with that reading among the options."""
    intent = parse(question, ctx())
    if intent.clarify is not None:
        offered = {(o.tool, o.arguments.get("segment")) for o in intent.clarify.options}
        assert ("rfm_segments", segment) in offered
        assert question in ("at-risk customers", "新客户")
        return
    assert (intent.tool, intent.arguments.get("segment")) == ("rfm_segments", segment)


def test_clv_model_follows_the_wording():
    assert parse("customer lifetime value", ctx()).arguments["model"] == "historical"
    assert parse("BG/NBD customer lifetime value", ctx()).arguments["model"] == "bgnbd"
    assert parse("预测每个客户未来一年的价值", ctx()).arguments["model"] == "bgnbd"


def test_arguments_fit_the_tool_params_and_the_rest_is_reported():
    # profit_concentration has no count or grouping: they are not passed as bad arguments, they are
    # reported as not applied (named in the answer), never dropped silently
    stated = {"start": "2024-01-01", "end": "2024-12-31", "n": 10, "order": "top", "group_by": "region"}
    intent = intent_for("profit_concentration", stated, None, "en")
    assert intent.arguments == {"start": "2024-01-01", "end": "2024-12-31"}
    assert {"n", "group_by"} <= {n.key for n in intent.not_applied}
    overview = parse("dataset overview for 2024", ctx())
    assert overview.arguments == {} and {"start", "end"} <= {n.key for n in overview.not_applied}


# ---------------------------------------------------------------- follow-ups
def test_followups_merge_onto_the_last_call():
    last = ctx(
        last_tool="customer_profitability", last_arguments={"metric": "profit", "n": 5, "order": "top"}
    )
    intent = parse("and by region?", last)
    assert intent.followup and intent.tool == "customer_profitability"
    assert intent.arguments == {"metric": "profit", "n": 5, "order": "top", "group_by": "region"}

    intent = parse("show the bottom 10 instead", last)
    assert intent.followup and intent.arguments == {"metric": "profit", "n": 10, "order": "bottom"}

    intent = parse("what about revenue?", last)
    assert intent.followup and intent.arguments["metric"] == "revenue" and intent.arguments["n"] == 5

    intent = parse("只看2024年呢？", last)
    assert intent.followup and intent.arguments["start"] == "2024-01-01" and intent.arguments["n"] == 5

    intent = parse("按行业呢", last)
    assert intent.followup and intent.arguments["group_by"] == "industry"


def test_followup_period_replaces_the_old_period_and_can_be_cleared():
    last = ctx(
        last_tool="customer_profitability", last_arguments={"start": "2024-01-01", "end": "2024-12-31"}
    )
    assert parse("since March 2025?", last).arguments == {"start": "2025-03-01"}
    assert parse("what about all time?", last).arguments == {}


def test_followup_per_customer_drops_the_grouping():
    last = ctx(last_tool="customer_profitability", last_arguments={"group_by": "region"})
    intent = parse("按客户呢", last)
    assert intent.followup and "group_by" not in intent.arguments


def test_a_new_tool_is_not_a_followup():
    last = ctx(last_tool="customer_profitability", last_arguments={"group_by": "region"})
    intent = parse("show the RFM segments", last)
    assert intent.tool == "rfm_segments" and not intent.followup and intent.arguments == {}


def test_followup_falls_back_to_a_fresh_question_when_the_last_tool_cannot_take_it():
    last = ctx(last_tool="profit_concentration", last_arguments={})
    intent = parse("what about revenue?", last)
    assert intent.tool == "customer_profitability" and not intent.followup


def test_a_full_question_starts_afresh_a_fragment_follows_up():
    last = ctx(last_tool="customer_profitability", last_arguments={"group_by": "region"})
    intent = parse("Top 10 customers by revenue", last)
    assert not intent.followup and intent.arguments == {"metric": "revenue", "order": "top", "n": 10}
    intent = parse("2024", last)
    assert intent.followup and intent.arguments == {
        "group_by": "region",
        "start": "2024-01-01",
        "end": "2024-12-31",
    }
    intent = parse("Top 10 customers by revenue", ctx(last_tool="rfm_segments", last_arguments={}))
    assert intent.tool == "customer_profitability" and not intent.followup


def test_no_followup_without_context():
    assert parse("and by region?", ctx()).followup is False


# ---------------------------------------------------------------- corrections
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("treat 'sales' as quantity", Correction(column="sales", canonical="quantity")),
        ('Treat "Sales" as the quantity column', Correction(column="Sales", canonical="quantity")),
        ("'sales' is the quantity column", Correction(column="sales", canonical="quantity")),
        ("the sales column is quantity", Correction(column="sales", canonical="quantity")),
        ("map amt to revenue", Correction(column="amt", canonical="revenue")),
        ("sales=quantity", Correction(column="sales", canonical="quantity")),
        ("把'sales'当作数量", Correction(column="sales", canonical="quantity")),
        ("把“销量”列当作数量", Correction(column="销量", canonical="quantity")),
        ("把销量列当作数量", Correction(column="销量", canonical="quantity")),
        ("“金额”列是收入", Correction(column="金额", canonical="revenue")),
        ("把「客户」当作客户编号", Correction(column="客户", canonical="customer_id")),
        ("treat orders.csv as invoices", Correction(file="orders.csv", kind="invoices")),
        ("把 orders.csv 当作发票表", Correction(file="orders.csv", kind="invoices")),
        ("将 客户2024.xlsx 视为客户表", Correction(file="客户2024.xlsx", kind="customers")),
    ],
)
def test_corrections(sentence, expected):
    intent = parse(sentence, ctx())
    assert intent.tool is None and intent.arguments == {}
    assert intent.correction == expected


def test_questions_are_not_corrections():
    for question in (
        "What is the revenue?",
        "use 2024 as the base year",
        "“利润”是怎么算的",
        "treat me well",
    ):
        assert parse(question, ctx()).correction is None, question


# ---------------------------------------------------------------- language, unmappable, registry
def test_detect_language():
    assert detect_language("Who are our top customers?") == "en"
    assert detect_language("利润最高的客户") == "zh"
    assert detect_language("top 5 客户") == "zh"
    assert detect_language("Ｔｏｐ ５") == "en"
    assert parse("利润最高的客户", ctx()).language == "zh"


@pytest.mark.parametrize(
    "question",
    [
        "hello",
        "你好",
        "what's the weather",
        "今天天气怎么样",
        "tell me a joke",
        "",
        "   ",
        "???",
        "2024",
        "write me a poem about invoices",
        "明天会下雨吗",
    ],
)
def test_unmappable_and_later_tools_get_no_tool(question):
    intent = parse(question, ctx())
    assert intent.tool is None and intent.arguments == {} and intent.correction is None


def test_only_registered_tools_are_returned(monkeypatch):
    later = [t for t in TOOL_KEYWORDS if t not in TOOLS and not t.startswith("_")]
    for tool in later:
        for phrase in list(TOOL_KEYWORDS[tool])[:3]:
            assert parse(phrase, ctx()).tool is None, phrase
    # even with a previous call to an unknown tool, nothing unregistered comes back
    intent = parse("and by region?", ctx(last_tool="no_such_tool", last_arguments={}))
    assert intent.tool is None or intent.tool in TOOLS


def test_long_and_odd_input_does_not_crash():
    parse("利润" * 1000, ctx())
    parse("(((**))) [a-z]+ \\d .* $^", ctx())
    parse("revenue " + "9" * 50, ctx())


# ---------------------------------------------------------------- help
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_text_lists_every_registered_tool_with_examples(lang):
    text = help_text(lang)
    for name, spec in TOOLS.items():
        assert spec.description.get(lang) in text
        for example in TOOLS[name].words.HELP[1][lang]:
            assert example in text


def test_help_examples_map_to_their_tool():
    for name, (_, examples) in ((n, s.words.HELP) for n, s in TOOLS.items()):
        for lang in ("en", "zh"):
            for example in examples[lang]:
                assert parse(example, ctx()).tool == name, example


@pytest.mark.parametrize(
    ("question", "level"),
    [("list the high-risk customers", "high"), ("高风险客户", "high"), ("show low-risk customers", "low")],
)
def test_churn_risk_level_is_read(question, level):
    intent = parse(question, ctx())
    assert intent.tool == "churn_risk" and intent.arguments == {"risk_level": level}


def test_a_named_segment_filters_tools_that_take_it():
    context = ctx()
    intent = parse("How would a 5% price rise affect volume in segment B?", context)
    assert intent.tool == "price_sensitivity"
    assert intent.arguments == {"price_change": 0.05, "filters": {"segment": ["B"]}}
