"""Words of asking back (the engine is not sure which analysis is meant) and of declining what is out of
scope."""

from __future__ import annotations

from core.text import Msg

WHICH = Msg("Which of these did you mean?", "您想看的是哪一项？")
PICK_HINT = Msg(
    "Click one, or reply with its number.", "点选一项，或回复它的编号。"
)
OUT_OF_SCOPE = Msg(
    "That is outside what I can do: I analyse the customer and financial data loaded here (orders, "
    "customers, invoices, statements, feedback, marketing spend) and recommend actions from it. I do not "
    "have market, news or general information, and I do not write letters or code.",
    "这超出了我能做的范围：我只分析这里载入的客户和财务数据（订单、客户、发票、财务报表、反馈、营销投入），并据此建议行动。"
    "我没有市场、新闻或一般性信息，也不写信件或代码。",
)
YOU_CAN_ASK = Msg("You could ask, for example:", "例如，您可以问：")

# A reply that picks an option by its place (agent/understand/pick.py); digits are read directly
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}  # fmt: skip
SOMETHING_ELSE = Msg("something else (see what can be asked)", "其他（查看可以问什么）")
