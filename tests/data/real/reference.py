#!/usr/bin/env python3
"""Reference headline numbers for the custfin real-export corpus (corpus_r1).

Standalone: uses only the standard library, pandas, numpy (and nothing from custfin).
Reads every sample file exactly as committed in this folder, computes the headline
numbers with the product's documented formulas, rewrites expected.json (kind, language,
column mapping, headline, notes) and prints a table.

    python reference.py            # regenerate expected.json and print the table
    python reference.py --check    # recompute and fail (exit 1) if expected.json differs

Formulas (from the custfin brief):
  transactions  rows; customers = distinct non-blank ids; revenue_total = sum(revenue)
                (or quantity*unit_price when the file has no revenue column);
                profit_total from a profit column (or revenue-cost); top-1 customer by
                revenue / by profit; revenue by region/country, top 3.
  customers     customers; churn_rate = share flagged churned; churn rate per level of
                one categorical column.
  invoices      invoices; amount_total; as_of = latest invoice/payment date; open_amount at
                as_of; past_due_share = open with due < as_of / open (null if nothing open);
                avg_days_late = mean(max(paid-due, 0)) over paid; share_paid_late.
  financials    per company (latest period): debt_ratio = TL/TA, current_ratio = CA/CL;
                median over companies and the count of companies with the inputs.
  sales         log-log OLS: log(q) ~ log(p) + product FE (+ promotion dummy); also the
                pooled slope log(q) ~ log(p).
  feedback      responses, mean score, csat_share (share of 4-5 on a 1-5 scale).
  marketing     channels, spend_total, spend per channel; ROI per channel if revenue per
                channel exists.
"""
from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected.json"


# --------------------------------------------------------------------------- helpers
def rnd(x, nd=6):
    """Plain JSON number (or None); floats rounded to nd decimals."""
    if x is None:
        return None
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (int,)) and not isinstance(x, bool):
        return x
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    r = round(x, nd)
    return int(r) if r == int(r) and abs(r) < 1e15 and nd == 0 else r


def read_text(name: str) -> str:
    """The committed bytes decoded as UTF-8 (all files in this folder are UTF-8)."""
    return (HERE / name).read_bytes().decode("utf-8")


def read_df(name: str, **kw) -> pd.DataFrame:
    """pandas read of the file as committed; everything as text unless told otherwise."""
    kw.setdefault("dtype", str)
    kw.setdefault("keep_default_na", False)
    return pd.read_csv(io.StringIO(read_text(name)), **kw)


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype(str).str.strip().replace({"": np.nan}), errors="coerce")


def top_share(series_by_key: pd.Series, n=1):
    s = series_by_key.sort_values(ascending=False, kind="mergesort")
    return s.head(n)


def transactions(df, cust=None, revenue=None, qty=None, price=None, profit=None,
                 cost=None, region=None, extra=None):
    out = {"rows": int(len(df))}
    if revenue is not None:
        rev = num(df[revenue])
    else:
        rev = num(df[qty]) * num(df[price])
    prof = None
    if profit is not None:
        prof = num(df[profit])
    elif cost is not None:
        prof = rev - num(df[cost])
    if cust is not None:
        ids = df[cust].astype(str).str.strip()
        valid = ids != ""
        out["customers"] = int(ids[valid].nunique())
    else:
        out["customers"] = None
    out["revenue_total"] = rnd(rev.sum(), 4)
    if prof is not None:
        out["profit_total"] = rnd(prof.sum(), 4)
    if cust is not None:
        g = pd.DataFrame({"c": ids[valid], "r": rev[valid]}).groupby("c")["r"].sum()
        t = top_share(g)
        out["top1_customer_by_revenue"] = str(t.index[0])
        out["top1_customer_revenue"] = rnd(t.iloc[0], 4)
        if prof is not None:
            gp = pd.DataFrame({"c": ids[valid], "p": prof[valid]}).groupby("c")["p"].sum()
            tp = top_share(gp)
            out["top1_customer_by_profit"] = str(tp.index[0])
            out["top1_customer_profit"] = rnd(tp.iloc[0], 4)
    else:
        out["top1_customer_by_revenue"] = None
        out["top1_customer_revenue"] = None
    if region is not None:
        reg = df[region].astype(str).str.strip()
        keep = reg != ""
        gr = pd.DataFrame({"g": reg[keep], "r": rev[keep]}).groupby("g")["r"].sum()
        out["revenue_by_region_top3"] = {str(k): rnd(v, 4) for k, v in top_share(gr, 3).items()}
    if extra:
        out.update(extra)
    return out


def customers_snapshot(df, churn_col, yes_values, by_col):
    flag_raw = df[churn_col].astype(str).str.strip()
    has_flag = flag_raw != ""
    churned = flag_raw.isin(yes_values)
    out = {
        "customers": int(len(df)),
        "customers_with_churn_flag": int(has_flag.sum()),
        "churned": int(churned[has_flag].sum()),
        "churn_rate": rnd(churned[has_flag].mean()),
    }
    lv = df[by_col].astype(str).str.strip()
    rates = {}
    for level in sorted(lv[has_flag].unique()):
        m = has_flag & (lv == level)
        rates[level if level else "(blank)"] = rnd(churned[m].mean())
    out[f"churn_rate_by_{by_col}"] = rates
    return out


def invoices(inv_date, due, amount, paid, paid_amount=None, ids=None):
    """All inputs are aligned Series; dates are datetime64 (NaT = no payment)."""
    amount = amount.astype(float)
    dates = pd.concat([inv_date, paid]).dropna()
    as_of = dates.max()
    is_paid = paid.notna() & (paid <= as_of)
    if paid_amount is None:
        paid_amt = amount.where(is_paid, 0.0)
    else:
        paid_amt = paid_amount.astype(float).fillna(0.0).where(is_paid, 0.0)
    open_amt = (amount - paid_amt).clip(lower=0)
    open_total = float(open_amt.sum())
    past_due = float(open_amt[due < as_of].sum())
    late_days = (paid[is_paid] - due[is_paid]).dt.days
    out = {
        "invoices": int(len(amount)),
        "amount_total": rnd(amount.sum(), 4),
        "as_of": as_of.strftime("%Y-%m-%d"),
        "open_amount": rnd(open_total, 4),
        "past_due_share": rnd(past_due / open_total) if open_total > 0 else None,
        "paid_invoices": int(is_paid.sum()),
        "avg_days_late": rnd(late_days.clip(lower=0).mean()),
        "share_paid_late": rnd((late_days > 0).mean()),
    }
    if ids is not None:
        out["customers"] = int(ids.astype(str).str.strip().replace("", np.nan).dropna().nunique())
    return out


def ols_slope(y, X):
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return beta


def elasticity(q, p, product, promo=None):
    d = pd.DataFrame({"q": q, "p": p, "g": product})
    if promo is not None:
        d["f"] = promo
    d = d.dropna()
    d = d[(d.q > 0) & (d.p > 0)]
    y = np.log(d.q.to_numpy(float))
    lp = np.log(d.p.to_numpy(float))
    pooled = ols_slope(y, np.column_stack([np.ones_like(lp), lp]))[1]
    levels = sorted(d.g.unique())
    dummies = [(d.g == lv).to_numpy(float) for lv in levels[1:]]
    cols = [np.ones_like(lp), lp] + dummies
    if promo is not None:
        cols.append(d.f.to_numpy(float))
    beta = ols_slope(y, np.column_stack(cols))
    out = {
        "rows_used": int(len(d)),
        "products": int(len(levels)),
        "elasticity_fe": rnd(beta[1]),
        "elasticity_pooled": rnd(pooled),
    }
    if promo is not None:
        out["promotion_coef"] = rnd(beta[-1])
    return out


def feedback(score, scale_max=5):
    s = num(score).dropna()
    out = {"responses": int(len(score)), "scored_responses": int(len(s)), "mean_score": rnd(s.mean())}
    if scale_max == 5:
        out["csat_share"] = rnd(((s >= 4) & (s <= 5)).mean())
    else:
        out["nps"] = rnd((s >= 9).mean() - (s <= 6).mean())
    return out


def financial_ratios(df, company, period_key, ta, tl, ca, cl):
    d = df.copy()
    d["_k"] = period_key(d)
    d = d.sort_values([company, "_k"], kind="mergesort").groupby(company, sort=False).tail(1)
    out = {"companies": int(df[company].astype(str).str.strip().nunique())}
    if ta and tl:
        dr = (num(d[tl]) / num(d[ta])).dropna()
        out["companies_with_debt_ratio"] = int(len(dr))
        out["debt_ratio_median"] = rnd(dr.median()) if len(dr) else None
    else:
        out["companies_with_debt_ratio"] = 0
        out["debt_ratio_median"] = None
    if ca and cl:
        cr = (num(d[ca]) / num(d[cl])).replace([np.inf, -np.inf], np.nan).dropna()
        out["companies_with_current_ratio"] = int(len(cr))
        out["current_ratio_median"] = rnd(cr.median()) if len(cr) else None
    else:
        out["companies_with_current_ratio"] = 0
        out["current_ratio_median"] = None
    return out


# ------------------------------------------------------------------ per-file headlines
def h_ar_ibm():
    df = read_df("ar_ibm_late_payments.csv")
    f = "%m/%d/%Y"
    out = invoices(pd.to_datetime(df.InvoiceDate, format=f), pd.to_datetime(df.DueDate, format=f),
                   num(df.InvoiceAmount), pd.to_datetime(df.SettledDate, format=f), ids=df.customerID)
    out["avg_days_late_column"] = rnd(num(df.DaysLate).mean())
    out["disputed_share"] = rnd((df.Disputed.str.strip() == "Yes").mean())
    return out


def h_ar_highradius():
    df = read_df("ar_highradius_b2b_invoices.csv")
    paid = pd.to_datetime(df.clear_date.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    out = invoices(pd.to_datetime(df.posting_date, format="%Y-%m-%d"),
                   pd.to_datetime(df.due_in_date, format="%Y-%m-%d"),
                   num(df.converted_usd), paid, ids=df.cust_number)
    out["invoices_posted_after_due_date"] = int(
        (pd.to_datetime(df.posting_date) > pd.to_datetime(df.due_in_date)).sum())
    return out


def h_telco():
    df = read_df("telco_churn_snapshot.csv")
    out = customers_snapshot(df, "Churn", {"Yes"}, "Contract")
    out["total_charges_blank"] = int((df.TotalCharges.str.strip() == "").sum())
    return out


def h_bank():
    df = read_df("bank_churn_snapshot.csv")
    return customers_snapshot(df, "Exited", {"1"}, "Geography")


def h_superstore_us():
    df = read_df("superstore_us_orders.csv")
    return transactions(df, cust="Customer ID", revenue="Sales", profit="Profit", region="Region",
                        extra={"orders": int(df["Order ID"].nunique())})


def h_superstore_global():
    df = read_df("superstore_global_orders.csv")
    return transactions(df, cust="Customer ID", revenue="Sales", profit="Profit", region="Market",
                        extra={"orders": int(df["Order ID"].nunique()),
                               "shipping_cost_total": rnd(num(df["Shipping Cost"]).sum(), 4)})


def h_online_retail():
    rows = list(csv.reader(io.StringIO(read_text("online_retail_uci_orders.csv"))))
    header, body = rows[0], rows[1:]
    good = [r for r in body if len(r) == len(header)]
    df = pd.DataFrame(good, columns=header)
    out = transactions(df, cust="CustomerID", qty="Quantity", price="UnitPrice", region="Country")
    out["rows_in_file"] = len(body)
    out["rows_malformed"] = len(body) - len(good)
    out["cancellation_rows"] = int(df.InvoiceNo.str.startswith("C").sum())
    return out


def h_shopify():
    df = read_df("shopify_orders_export.csv")
    orders = df[df.Total.str.strip() != ""]
    out = transactions(orders, cust="Email", revenue="Total", region="Billing Country")
    out["rows"] = int(len(df))
    out["order_rows"] = int(len(orders))
    out["orders"] = int(df.Name.nunique())
    out["lineitem_revenue_total"] = rnd((num(df["Lineitem quantity"]) * num(df["Lineitem price"])).sum(), 4)
    return out


def h_tmall():
    df = read_df("tmall_orders_cn.csv")
    out = transactions(df, cust=None, revenue="买家实际支付金额", region="收货地址 ")
    out["gross_order_total"] = rnd(num(df["总金额"]).sum(), 4)
    out["refund_total"] = rnd(num(df["退款金额"]).sum(), 4)
    out["unpaid_orders"] = int((df["订单付款时间 "].str.strip() == "").sum())
    return out


def h_cdnow():
    df = read_df("cdnow_purchase_log.csv")
    return transactions(df, cust="customer_id", revenue="revenue")


def h_oj():
    df = read_df("oj_price_volume_panel.csv")
    out = {"rows": int(len(df))}
    out.update(elasticity(num(df.sales), num(df.price), df.brand, promo=num(df.feat)))
    return out


def h_cn_channel():
    df = read_df("cn_channel_sales_messy.csv")
    out = {"rows": int(len(df))}
    out.update(elasticity(num(df["销售数量"]), num(df["售价"]), df["品牌"]))
    out["revenue_total"] = rnd(num(df["销售额"]).sum(), 4)
    return out


def h_cn_product_region():
    df = read_df("cn_product_region_sales.csv")
    out = {"rows": int(len(df))}
    out.update(elasticity(num(df["销售数量"]), num(df["单价"]), df["产品名称"]))
    out["revenue_total"] = rnd(num(df["销售金额"]).sum(), 4)
    return out


def h_csat():
    df = read_df("csat_customer_support.csv")
    out = feedback(df["CSAT Score"])
    out["with_remarks"] = int((df["Customer Remarks"].str.strip() != "").sum())
    return out


def h_jd():
    df = read_df("jd_reviews_cn.csv")
    out = feedback(df["得分"])
    out["distinct_user_ids"] = int(df["用户ID"].nunique())
    return out


def h_robyn():
    df = read_df("mmm_robyn_weekly_spend.csv")
    spend_cols = [c for c in df.columns if c.endswith("_S")]
    by = {c: rnd(num(df[c]).sum(), 4) for c in spend_cols}
    total = float(sum(num(df[c]).sum() for c in spend_cols))
    rev = float(num(df.revenue).sum())
    return {"rows": int(len(df)), "channels": len(spend_cols), "spend_total": rnd(total, 4),
            "spend_by_channel": by, "revenue_total": rnd(rev, 4),
            "roi_by_channel": None, "blended_roi": rnd((rev - total) / total)}


def h_fb_ads():
    df = read_df("fb_ad_campaigns_spend.csv")
    spent = num(df.Spent)
    g = pd.DataFrame({"c": df.xyz_campaign_id, "s": spent}).groupby("c")["s"].sum()
    return {"rows": int(len(df)), "channels": int(len(g)), "spend_total": rnd(spent.sum(), 4),
            "spend_by_channel": {str(k): rnd(v, 4) for k, v in g.items()},
            "leads_total": int(num(df.Total_Conversion).sum()),
            "new_customers_total": int(num(df.Approved_Conversion).sum()),
            "roi_by_channel": None}


def h_fin_us():
    df = read_df("financials_us_bankruptcy_x1_x18.csv")
    out = financial_ratios(df, "company_name", lambda d: num(d.year), ta="X10", tl="X17", ca="X1", cl="X14")
    out["company_years"] = int(len(df))
    return out


def h_fin_cn():
    df = read_df("financials_cn_listed_companies.csv")
    out = financial_ratios(df, "股票代码", lambda d: num(d["年度"]), ta="总资产", tl=None, ca=None, cl=None)
    out["total_assets_median"] = rnd(num(df["总资产"]).median(), 2)
    return out


def h_fin_nyse():
    df = read_df("financials_nyse_fundamentals.csv")
    out = financial_ratios(df, "Ticker Symbol",
                           lambda d: pd.to_datetime(d["Period Ending"], format="%m/%d/%Y"),
                           ta="Total Assets", tl="Total Liabilities",
                           ca="Total Current Assets", cl="Total Current Liabilities")
    out["company_years"] = int(len(df))
    return out


# ------------------------------------------------------------------------ the corpus
SPEC = {
    "ar_ibm_late_payments.csv": dict(
        kind="invoices", language="en", fn=h_ar_ibm,
        columns={"customerID": "customer_id", "invoiceNumber": "invoice_id", "InvoiceDate": "invoice_date",
                 "DueDate": "due_date", "InvoiceAmount": "amount", "SettledDate": "paid_date",
                 "DaysLate": "days_late"},
        notes="IBM Watson Analytics 'Accounts Receivable / late payment histories' sample. Payment date is "
              "called SettledDate; dates are M/D/YYYY; invoiceNumber keeps leading zeros (read as text); "
              "PaperlessDate is a date that is NOT the invoice date; countryCode is numeric. Every invoice is "
              "settled by as_of, so open_amount is 0 and past_due_share is null. avg_days_late from dates "
              "equals the mean of the file's own DaysLate column. CRLF line ends."),
    "ar_highradius_b2b_invoices.csv": dict(
        kind="invoices", language="en", fn=h_ar_highradius,
        columns={"cust_number": "customer_id", "doc_id": "invoice_id", "posting_date": "invoice_date",
                 "due_in_date": "due_date", "converted_usd": "amount", "clear_date": "paid_date"},
        notes="HighRadius B2B invoice-payment training file (SAP-style field names, misspelt 'buisness_year'). "
              "First column has an empty header (pandas index); clear_date carries nanosecond fractions "
              "(taken as its calendar date); 'Aging Bucket' is mostly blank; some posting_date values fall "
              "after due_in_date (apparent day/month swaps in the source, counted in "
              "invoices_posted_after_due_date); name_customer varies for one cust_number. All rows have a "
              "clear_date so nothing is open at as_of; as_of itself (2020-12-05) comes from one of the "
              "swapped posting dates, a realistic trap."),
    "telco_churn_snapshot.csv": dict(
        kind="customers", language="en", fn=h_telco,
        columns={"customerID": "customer_id", "Churn": "churned", "tenure": "tenure", "Contract": "contract",
                 "MonthlyCharges": "monthly_charges", "TotalCharges": "total_charges"},
        notes="IBM Telco customer churn snapshot: one row per customer, Churn Yes/No, no dates at all. "
              "TotalCharges is text with a single-space value for tenure-0 customer 4472-LVYGI (must not "
              "crash numeric parsing). SeniorCitizen is 0/1 while other flags are Yes/No; 'No internet "
              "service' is a third level. Two contiguous blocks of the source (see PROVENANCE)."),
    "bank_churn_snapshot.csv": dict(
        kind="customers", language="en", fn=h_bank,
        columns={"CustomerId": "customer_id", "Surname": "name", "Exited": "churned", "Tenure": "tenure",
                 "Geography": "region", "Balance": "total_charges"},
        notes="Bank churn ('Churn_Modelling') snapshot, churn flag is Exited 1/0; RowNumber is a row index, "
              "not an id. This copy has injected blanks (CreditScore, Gender, HasCrCard, Balance, Age and "
              "three blank Exited values) and a mojibake surname 'H?'. churn_rate is over rows with a "
              "non-blank Exited flag."),
    "superstore_us_orders.csv": dict(
        kind="transactions", language="en", fn=h_superstore_us,
        columns={"Customer ID": "customer_id", "Order Date": "date", "Sales": "revenue", "Profit": "profit",
                 "Quantity": "quantity", "Discount": "discount", "Product Name": "product",
                 "Region": "region", "Order ID": "order_id"},
        notes="Tableau 'Sample - Superstore' (2019-2022 edition with Country/Region and State/Province): Sales "
              "and Profit but NO cost column (cost = Sales - Profit is derivable but not given); dates are "
              "DD/MM/YY (03/01/19 = 3 Jan 2019); includes Canadian rows with postal codes like M7A; US ZIPs "
              "with leading zero (07036) must stay text; quoted product names with doubled quotes and "
              "non-ASCII (Imàge, Französisch, curly quotes). CRLF."),
    "superstore_global_orders.csv": dict(
        kind="transactions", language="en", fn=h_superstore_global,
        columns={"Customer ID": "customer_id", "Order Date": "date", "Sales": "revenue", "Profit": "profit",
                 "Quantity": "quantity", "Discount": "discount", "Product Name": "product",
                 "Market": "region", "Order ID": "order_id"},
        notes="Global Superstore 2011-2015: Sales and Profit, no COGS; 'Shipping Cost' is a cost column that is "
              "NOT the cost of goods (profit must come from Profit, not Sales - Shipping Cost). Dates are "
              "D/M/YYYY (6/1/2011 = 6 Jan 2011). Postal Code blank outside the US. Region totals use Market "
              "(APAC, EU, US, ...)."),
    "online_retail_uci_orders.csv": dict(
        kind="transactions", language="en", fn=h_online_retail,
        columns={"CustomerID": "customer_id", "InvoiceDate": "date", "Quantity": "quantity",
                 "UnitPrice": "unit_price", "Description": "product", "Country": "region",
                 "InvoiceNo": "order_id"},
        notes="UCI Online Retail layout. No revenue column: revenue = Quantity x UnitPrice. Dates M/D/YY H:MM. "
              "Cancellation invoice C536383 has Quantity -1 (kept, nets revenue). The stored copy has 4 "
              "malformed 7-field lines (a description fragment swallowed the comma, e.g. 'CHILLI  192'); "
              "headline is computed on the 179 well-formed data lines and the 4 are counted in rows_malformed. "
              "No trailing newline."),
    "shopify_orders_export.csv": dict(
        kind="transactions", language="en", fn=h_shopify,
        columns={"Email": "customer_id", "Created at": "date", "Total": "revenue", "Name": "order_id",
                 "Lineitem quantity": "quantity", "Lineitem price": "unit_price", "Lineitem name": "product",
                 "Billing Country": "region", "Discount Amount": "discount"},
        notes="Shopify admin 'Export orders' layout (79 columns) from a dev store with example.com customers. "
              "One row per line item; order-level fields (Total, Financial Status, Paid at ...) are filled on "
              "the first line of each order only, so revenue = sum of non-blank Total (summing Total on every "
              "line would fail on blanks; here the line-item sum happens to match). Customer id = Email, blank for many orders "
              "(excluded). Timestamps carry '-0400' offsets. Computed on the 19 order rows."),
    "tmall_orders_cn.csv": dict(
        kind="transactions", language="zh", fn=h_tmall,
        columns={"订单编号": "order_id", "订单创建时间": "date", "买家实际支付金额": "revenue", "收货地址 ": "region"},
        notes="Tmall order report (Chinese headers, two with trailing spaces: '收货地址 ' and '订单付款时间 '). "
              "No customer id at all (customers = null). Revenue = 买家实际支付金额 (amount actually paid); "
              "总金额 is the gross order value and 退款金额 the refund; unpaid orders have a blank payment time. "
              "Province names mix 省/自治区 suffixes and bare municipality names (上海, 北京)."),
    "cdnow_purchase_log.csv": dict(
        kind="transactions", language="en", fn=h_cdnow,
        columns={"customer_id": "customer_id", "date": "date", "quantity": "quantity", "revenue": "revenue"},
        notes="CDNOW 1/10 sample purchase log (Fader, Hardie & Lee 2005) via the MIT-licensed lifetimes "
              "package (shared/data/cdnow). Customer ids are zero-padded text ('0001'). First 2000 rows."),
    "oj_price_volume_panel.csv": dict(
        kind="sales", language="en", fn=h_oj,
        columns={"sales": "quantity", "price": "unit_price", "brand": "product", "feat": "promotion"},
        notes="Dominick's orange-juice panel as used in Taddy, Business Data Science (oj.csv) with an extra "
              "row-number column 'No'. 'sales' is units (quantity), not revenue. Published full-data results "
              "(TaddyLab/BDS chapters/6-Controls/author_Rscript/oj.R): log(price) ~ -3.1 in "
              "log(sales) ~ log(price) + brand, and -2.774 for Dominick's in log(price)*brand*feat. This "
              "554-row sample (2 stores) gives its own numbers; do not expect the published ones."),
    "cn_channel_sales_messy.csv": dict(
        kind="sales", language="zh", fn=h_cn_channel,
        columns={"销售日期": "date", "售价": "unit_price", "销售数量": "quantity", "品牌": "product"},
        notes="Messy Chinese channel sales sheet (a data-cleaning exercise): 销售日期 is filled only on the "
              "first row of each day (forward-fill needed), 销售信息 packs city+channel+order number "
              "('上海天猫订单...'), two rows have no 销售信息, brand typo 杰壳狼 vs 杰克狼, last row has blank "
              "quantity and revenue (dropped from the regression). Elasticity on 19 rows is illustrative."),
    "cn_product_region_sales.csv": dict(
        kind="sales", language="zh", fn=h_cn_product_region,
        columns={"日期": "date", "产品名称": "product", "销售区域": "store", "销售数量": "quantity", "单价": "unit_price"},
        notes="Chinese product x region daily sales (60 rows, looks randomly generated by its author: price "
              "varies independently of quantity, so the elasticity is near zero). 销售金额 = 销售数量 x 单价."),
    "csat_customer_support.csv": dict(
        kind="feedback", language="en", fn=h_csat,
        columns={"CSAT Score": "score", "Survey_response_Date": "date", "Order_id": "customer_id",
                 "category": "category", "Customer Remarks": "text"},
        notes="E-commerce customer-support CSAT export (1-5). Survey_response_Date is DD-Mon-YY, issue times "
              "DD/MM/YYYY HH:MM; most optional columns are blank; remarks contain '?' where emoji were lost "
              "and quoted commas. No customer id: Order_id is the nearest key."),
    "jd_reviews_cn.csv": dict(
        kind="feedback", language="zh", fn=h_jd,
        columns={"用户ID": "customer_id", "得分": "score", "购买时间": "date", "评论内容": "text",
                 "会员级别": "segment"},
        notes="JD.com product reviews (Chinese headers), score 得分 1-5, 购买时间 as YYYY/M/D H:MM. Two records "
              "have multi-line quoted review text; HTML entities (&hellip;) left in text; many '此用户未填写"
              "评价内容' placeholders; the source file repeats reviews (some ids also appear earlier in it). "
              "Header + the last 153 records of the source."),
    "mmm_robyn_weekly_spend.csv": dict(
        kind="marketing", language="en", fn=h_robyn,
        columns={"DATE": "period", "tv_S": "spend", "ooh_S": "spend", "print_S": "spend", "search_S": "spend",
                 "facebook_S": "spend", "revenue": "revenue"},
        notes="Robyn (Meta) simulated weekly MMM data: WIDE layout, one spend column per channel (*_S), "
              "facebook_I impressions and search_clicks_P clicks are NOT spend, competitor_sales_B is not "
              "ours; quoted header names; events column has the string 'na'. Revenue is total, not per "
              "channel, so roi_by_channel is null (blended_roi only for reference). First 141 of 208 weeks."),
    "fb_ad_campaigns_spend.csv": dict(
        kind="marketing", language="en", fn=h_fb_ads,
        columns={"xyz_campaign_id": "channel", "Spent": "spend", "Date": "period",
                 "Total_Conversion": "leads", "Approved_Conversion": "new_customers"},
        notes="Facebook ad-campaign conversion data (KAG_conversion_data) with a Date column (DD-MM-YYYY) "
              "added in this copy. One row per ad; channel = xyz_campaign_id (numeric codes); no revenue, so "
              "no ROI. Spent has float noise (1.429999948)."),
    "financials_us_bankruptcy_x1_x18.csv": dict(
        kind="financials", language="en", fn=h_fin_us,
        columns={"company_name": "company", "X1": "current_assets", "X5": "inventory", "X10": "total_assets",
                 "X12": "ebit", "X14": "current_liabilities", "X15": "retained_earnings", "X16": "sales",
                 "X17": "total_liabilities"},
        notes="US bankruptcy prediction panel (NYSE/NASDAQ 1999-2018) with anonymous headers X1..X18; the "
              "meaning is documented only in the dataset's data dictionary (e.g. selimgr036/bankruptcy-"
              "classification data/README.md) and checks out against identities in the rows (X13 = X9 - X2, "
              "X12 = X4 - X3). One row per company-year; ratios use each company's latest year."),
    "financials_cn_listed_companies.csv": dict(
        kind="financials", language="zh", fn=h_fin_cn,
        columns={"股票代码": "company", "总资产": "total_assets", "营业收入": "sales", "营业利润": "ebit"},
        notes="Chinese A-share/BSE company financials (Chinese headers, amounts in yuan, ROE in percent). "
              "Has 总资产 but NO liabilities, current assets or current liabilities: debt and current ratios "
              "must be reported as not computable (null), not invented. 固定资产 and 每股资本公积 have blanks."),
    "financials_nyse_fundamentals.csv": dict(
        kind="financials", language="en", fn=h_fin_nyse,
        columns={"Ticker Symbol": "company", "Total Assets": "total_assets", "Total Liabilities": "total_liabilities",
                 "Total Current Assets": "current_assets", "Total Current Liabilities": "current_liabilities",
                 "Inventory": "inventory", "Cash and Cash Equivalents": "cash",
                 "Earnings Before Interest and Tax": "ebit", "Interest Expense": "interest_expense",
                 "Retained Earnings": "retained_earnings", "Total Revenue": "sales", "Total Equity": "equity"},
        notes="NYSE 'fundamentals' (S&P 500 annual statements) in a copy with two unnamed leading columns and "
              "a Price column; big numbers were rounded by Excel to 3 significant digits in places "
              "(1.07E+11), so ratios for AAPL/ABC are approximate by construction. The file's own Current "
              "Ratio column is a percent (73 = 0.73). Ratios use each ticker's latest Period Ending."),
}


def compute():
    result = {}
    for name, spec in SPEC.items():
        result[name] = {
            "kind": spec["kind"],
            "language": spec["language"],
            "columns": spec["columns"],
            "headline": spec["fn"](),
            "notes": spec["notes"],
        }
    return result


def flat(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from flat(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def main(argv):
    result = compute()
    if "--check" in argv:
        old = json.loads(EXPECTED.read_text(encoding="utf-8"))
        if old != result:
            print("expected.json differs from a fresh computation", file=sys.stderr)
            return 1
        print("expected.json is up to date")
        return 0
    EXPECTED.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    w = max(len(n) for n in result)
    for name, entry in result.items():
        print(f"{name:<{w}}  {entry['kind']:<12} {entry['language']}")
        for k, v in flat(entry["headline"]):
            print(f"{'':<{w}}    {k} = {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
