"""Every prompt, vocabulary and answer template, English and Chinese, as data."""
