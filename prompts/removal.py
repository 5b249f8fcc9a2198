"""Deleting an uploaded file in a sentence ("delete the file orders.csv", "删除 orders.csv 这个文件", "remove all my files"), and the answers to it."""

from __future__ import annotations

from core.text import Msg

# Deleting an uploaded file in a plain sentence ("delete the file orders.csv", "删除 orders.csv 这个文件",
# "remove all my files"). A sentence needs one of these verbs and a file name (or an "all files" phrase).
REMOVE_VERBS_EN: list[str] = [
    "delete",
    "remove",
    "erase",
    "discard",
    "unload",
    "get rid of",
    "throw away",
    "throw out",
]

REMOVE_VERBS_ZH: list[str] = [
    "删除",
    "删掉",
    "删去",
    "删了",
    "移除",
    "去掉",
    "去除",
    "丢弃",
    "清除",
    "清空",
    "扔掉",
]

REMOVE_ALL_EN: list[str] = [
    "all files",
    "all my files",
    "all the files",
    "all data",
    "all my data",
    "all datasets",
    "all uploads",
    "every file",
    "everything",
]

REMOVE_ALL_ZH: list[str] = [
    "所有文件",
    "全部文件",
    "所有数据",
    "全部数据",
    "所有上传",
    "全部上传",
    "所有的文件",
    "全部的文件",
]

# A deletion is a plain sentence: besides the verb and the file names (or "all files") only these words
# may appear (at most REMOVE_MAX_OTHER_WORDS others), so "remove refunds from orders.csv and show the
# top customers" stays a question and deletes nothing.
REMOVE_FILLERS_EN: list[str] = [
    "please",
    "the",
    "a",
    "an",
    "my",
    "our",
    "this",
    "that",
    "these",
    "those",
    "it",
    "them",
    "file",
    "files",
    "dataset",
    "datasets",
    "data",
    "upload",
    "uploads",
    "uploaded",
    "table",
    "sheet",
    "spreadsheet",
    "and",
    "from",
    "of",
    "in",
    "conversation",
    "chat",
    "session",
    "now",
    "also",
    "all",
    "both",
    "can",
    "could",
    "you",
    "i",
    "want",
    "to",
    "would",
    "like",
    "permanently",
    "stored",
]

REMOVE_FILLERS_ZH: list[str] = [
    "请",
    "帮我",
    "帮忙",
    "麻烦",
    "我要",
    "我想",
    "把",
    "将",
    "这个",
    "那个",
    "这些",
    "上传的",
    "文件",
    "数据集",
    "数据",
    "表格",
    "表",
    "从",
    "对话",
    "会话",
    "里",
    "中",
    "的",
    "和",
    "及",
    "与",
    "还有",
    "吧",
    "了",
    "掉",
    "一下",
    "所有",
    "全部",
    "永久",
]

REMOVE_MAX_OTHER_WORDS = 2

REMOVED = Msg(
    "Deleted {files}: gone from this conversation and from the stored data.",
    "已删除 {files}：已从本次对话和保存的数据中移除。",
)

REMOVED_REMAINING = Msg("Files still loaded:", "仍在使用的文件：")

REMOVED_FILE_LINE = Msg("{file} ({kind}, {rows} rows)", "{file}（{kind}，{rows} 行）")

REMOVED_NOTHING_LEFT = Msg(
    "No uploaded file is left, so questions use the built-in demo company again until you upload one.",
    "已没有上传的文件；在您再次上传之前，问题将使用内置的演示公司数据。",
)

REMOVE_NO_SUCH_FILE = Msg(
    "No uploaded file is named {name}. Files: {files}.",
    "没有名为 {name} 的上传文件。文件：{files}。",
)

REMOVE_NO_FILES = Msg(
    "There is no uploaded file to delete (the built-in demo company is not stored).",
    "没有可删除的上传文件（内置演示数据不会被保存）。",
)
