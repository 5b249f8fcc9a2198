"""The demo company's assumptions: segments, regions, products and prices, elasticities, mixes,
rates and name parts (see tools/demo/__init__.py for the story they tell).
"""

from __future__ import annotations

import numpy as np

DATE_DTYPE = "datetime64[us]"  # what pandas 3 gives when parsing ISO date strings

SEGMENTS = ("A", "B", "C")
REGIONS = ("North", "East", "South", "West")
INDUSTRIES = ("Manufacturing", "Retail", "Services", "Technology", "Construction", "Wholesale")
ACQUISITION_CHANNELS = ("Search", "Social", "Referral", "Trade show", "Email")
ORDER_CHANNELS = ("Online", "Direct sales", "Distributor")
FEEDBACK_CATEGORIES = ("Delivery", "Quality", "Billing", "Support", "Price")
PAYER_TYPES = ("on_time", "mild", "chronic", "deteriorating")

# name, list price at window start, unit cost / list price at window start
PRODUCTS: tuple[tuple[str, float, float], ...] = (
    ("Basic Supplies", 12.0, 0.80),
    ("Standard Components", 45.0, 0.62),
    ("Premium Components", 120.0, 0.45),
    ("Spare Parts Kit", 60.0, 0.55),
    ("Industrial Equipment", 850.0, 0.74),
    ("Maintenance Service", 200.0, 0.40),
    ("Software License", 300.0, 0.15),
)
ANNUAL_PRICE_INCREASE = 0.03
ANNUAL_COST_INFLATION = 0.02
# (months after window start, product, relative list-price change)
PRICE_EVENTS: tuple[tuple[int, str, float], ...] = (
    (18, "Premium Components", 0.12),
    (27, "Basic Supplies", -0.08),
    (30, "Software License", 0.15),
)
# Constant price elasticity of demand per segment in the ``sales`` panel (same for every product).
TRUE_ELASTICITY: dict[str, float] = {"A": -0.6, "B": -1.8, "C": -1.2}

SEASONALITY = np.array([0.95, 0.70, 0.95, 1.0, 1.0, 0.95, 0.90, 0.95, 1.05, 1.10, 1.20, 1.35])

PRODUCT_MIX = np.array(
    [
        [0.05, 0.15, 0.20, 0.10, 0.20, 0.15, 0.15],  # A
        [0.15, 0.25, 0.20, 0.15, 0.05, 0.10, 0.10],  # B
        [0.35, 0.30, 0.10, 0.15, 0.00, 0.05, 0.05],  # C
        [0.60, 0.30, 0.00, 0.10, 0.00, 0.00, 0.00],  # tiny frequent buyers
    ]
)
CHANNEL_MIX = np.array([[0.15, 0.70, 0.15], [0.40, 0.30, 0.30], [0.60, 0.05, 0.35], [0.55, 0.05, 0.40]])
ACQUISITION_MIX = np.array(
    [[0.10, 0.02, 0.35, 0.45, 0.08], [0.30, 0.10, 0.25, 0.20, 0.15], [0.35, 0.30, 0.15, 0.02, 0.18]]
)
INDUSTRY_MIX = np.array(
    [
        [0.35, 0.10, 0.10, 0.15, 0.20, 0.10],
        [0.25, 0.15, 0.20, 0.15, 0.10, 0.15],
        [0.05, 0.45, 0.30, 0.05, 0.05, 0.10],
    ]
)
SALES_TO_ASSETS = np.array([1.2, 2.2, 1.0, 0.8, 1.1, 1.8])  # by industry
HANDLING = np.array([5.0, 30.0, 12.0])  # cost to serve per order, by order channel
SPEND_PER_ORDER = np.array([6000.0, 1200.0, 220.0, 20.0])  # typical order value: A, B, C, tiny
ORDER_RATE = np.array([7.0, 5.0, 3.3, 18.0])  # orders per year: A, B, C, tiny
CHURN_BASE = np.array([0.045, 0.08, 0.12])
CAC_RATIO = np.array([0.12, 0.80, 0.04, 0.30, 0.06])  # spend per new customer / mean first-year revenue
CONVERSION = np.array([0.08, 0.03, 0.30, 0.12, 0.05])  # leads -> customers

EN_PREFIX = (
    "Northwind", "Blue River", "Summit", "Golden Gate", "Evergreen", "Silverline", "Redwood", "Pioneer",
    "Atlas", "Harbor", "Crescent", "Liberty", "Oakridge", "Bright Star", "Ironclad", "Sunrise",
    "Westfield", "Cedar", "Granite", "Horizon", "Keystone", "Lakeside", "Meridian", "Nova", "Orchard",
    "Pinnacle", "Riverside", "Sterling", "Trident", "Unity", "Vertex", "Willow", "Apex", "Beacon",
    "Cobalt", "Delta", "Eastgate", "Falcon", "Greenfield", "Highland", "Juniper", "Kingsway",
    "Lighthouse", "Maple", "Northstar", "Oceanic", "Prairie", "Quarry", "Rockford", "Seaside",
    "Timberline", "Upland", "Valley", "Waypoint", "Yellowstone", "Zenith", "Aspen", "Bluebird",
    "Copperfield", "Driftwood",
)  # fmt: skip
EN_CORE = (
    "Trading", "Logistics", "Components", "Foods", "Systems", "Textiles", "Machinery", "Retail",
    "Supplies", "Engineering", "Electronics", "Building", "Packaging", "Home Goods", "Health", "Motors",
    "Printing", "Furniture", "Materials", "Solutions", "Tools", "Plastics", "Energy", "Design",
    "Hardware", "Interiors", "Labs", "Outfitters", "Metals", "Services",
)  # fmt: skip
EN_FORM = ("Ltd", "Inc.", "Co.", "LLC", "Group", "Corp.", "& Sons", "Partners")
ZH_CITY = (
    "上海", "北京", "广州", "深圳", "杭州", "苏州", "南京", "成都",
    "武汉", "天津", "重庆", "西安", "青岛", "厦门", "宁波", "长沙",
)  # fmt: skip
ZH_BRAND = (
    "星辰", "华信", "恒通", "金桥", "宏达", "瑞丰", "鼎盛", "天宇", "远航", "博雅", "新源", "顺达",
    "永盛", "联创", "嘉禾", "明辉", "恒远", "佳美", "润泽", "盛泰", "安达", "汇通", "锦程", "宏图",
    "立信", "同创", "正泰", "海纳", "银河", "卓越",
)  # fmt: skip
ZH_TRADE = ("贸易", "科技", "物流", "机械", "电子", "建材", "食品", "纺织", "包装", "实业", "商贸", "家居")

COMMENTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # category: ((complaint en, complaint zh), (praise en, praise zh))
    "Delivery": (("Delivery was late again.", "货物又延迟送达了。"), ("Fast delivery, thanks.", "发货很快，谢谢。")),
    "Quality": (("Several items arrived damaged.", "部分产品到货时已损坏。"), ("Good quality as always.", "质量一如既往地好。")),
    "Billing": (("The invoice amount was wrong.", "发票金额有误。"), ("Billing is clear and simple.", "账单清楚明了。")),
    "Support": (("Nobody answered our support request.", "客服一直没有回复我们的问题。"), ("Support solved it quickly.", "客服很快解决了问题。")),
    "Price": (("Prices went up too much.", "价格涨得太多了。"), ("Fair prices.", "价格合理。")),
}  # fmt: skip
