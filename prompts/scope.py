"""Words of questions outside what the tools compute: forecasts ("_forecast") and off-topic requests
("_off_topic": jokes, weather, poems). They score like tool keywords, so such questions get the help
text instead of whatever analysis an argument word in them would pick."""

from __future__ import annotations

OUT_OF_SCOPE_KEYWORDS: dict[str, dict[str, float]] = {
    "_forecast": {
        "forecast": 4,
        "predict": 3,
        "prediction": 3,
        "projection": 3,
        "next month": 3,
        "next quarter": 3,
        "next year": 3,
        "预测": 3,
        "下个月": 3,
        "下季度": 3,
        "明年": 3,
        "未来": 2.5,
    },
    "_off_topic": {
        "poem": 4,
        "joke": 4,
        "weather": 4,
        "story": 3,
        "song": 3,
        "recipe": 4,
        "translate": 3,
        "写诗": 4,
        "一首诗": 4,
        "笑话": 4,
        "天气": 4,
        "讲个故事": 4,
        "唱歌": 4,
        "翻译": 3,
    },
}
