"""Suggested categories for items as people write them on the household forms."""

from __future__ import annotations

import pytest

from chumchon.ledgers.suggest import Dictionary, dictionary, suggest, suggest_category

# (item as written, money column kind or None for a single amount column, expected code)
ITEMS = [
    ("ซื้อไข่ไก่ 1 แผง", None, "C02"),
    ("ไข่", None, "C02"),
    ("๒ แผง ไข่เป็ด", None, "C02"),
    ("ข้าวสาร 5 กก.", None, "C01"),
    ("ผักบุ้ง", None, "C03"),
    ("หมูสับ", None, "C04"),
    ("ไก่", "expense", "C04"),
    ("ปลาทู 2 เข่ง", None, "C04"),
    ("ข้าวแกง", None, "C05"),
    ("กับข้าวถุง", None, "C05"),
    ("น้ำปลา", None, "C06"),
    ("ผงชูรส", None, "C06"),
    ("กาแฟ", None, "C07"),
    ("เหล้าขาว", None, "C08"),
    ("เบียร์", None, "C08"),
    ("สุรา", None, "C08"),
    ("บุหรี่", None, "C09"),
    ("ยาเส้น", None, "C09"),
    ("หวย", None, "C10"),
    ("ลอตเตอรี่ 2 ใบ", None, "C10"),
    ("ค่าไฟเดือน มี.ค.", None, "C11"),
    ("ค่าน้ำ", None, "C11"),
    ("ค่าโทรศัพท์", None, "C12"),
    ("เติมเงินทรู", None, "C12"),
    ("น้ำมันรถ", None, "C13"),
    ("ค่ารถไปตลาด", None, "C13"),
    ("ค่าน้ำมันรถ", None, "C13"),  # not ค่าน้ำ
    ("ค่าเทอมลูก", None, "C14"),
    ("ค่ายา", None, "C15"),
    ("หาหมอที่ รพ.สต.", None, "C15"),
    ("ทำบุญวัด", None, "C18"),
    ("งานศพยายมา", None, "C18"),
    ("ใส่ซองงานแต่ง", None, "C18"),
    ("ปุ๋ยยูเรีย 2 กระสอบ", None, "P02"),
    ("ยาฆ่าหญ้า", None, "P03"),
    ("อาหารหมู", None, "P04"),
    ("อาหารไก่", None, "P04"),
    ("ค่าจ้างรถไถนา", None, "P05"),  # the longest keyword wins over ค่าจ้าง
    ("ค่ารถเกี่ยวข้าว", None, "P05"),
    ("เงินเดือน", None, "I01"),
    ("ค่าแรง", None, "I01"),
    ("ค่าแรง", "expense", "P05"),  # the money column decides
    ("ขายข้าวเปลือก", None, "I02"),
    ("ขายข้าว", None, "I02"),
    ("ขายหมู 2 ตัว", None, "I03"),
    ("ขายวัว", None, "I03"),
    ("ขายปลา", None, "I04"),
    ("ลูกส่งมา", None, "I06"),
    ("ลูกส่งเงินมาให้", None, "I06"),
    ("เบี้ยผู้สูงอายุ", None, "I07"),
    ("บัตรสวัสดิการ", None, "I07"),
    ("ถูกหวย", None, "I09"),
    ("ผ่อน ธ.ก.ส.", None, "F01"),
    ("ดอกเบี้ย", None, "F02"),
    ("ดอกเบี้ย", "income", "I08"),
    ("ฝากสัจจะ", None, "F03"),
    ("สลากออมสิน", None, "F03"),  # saving, not gambling
    ("กู้เงินกองทุนหมู่บ้าน", None, "F05"),
    ("ยืมเงินญาติ", None, "F05"),
    ("หมู", None, "C04"),  # bought, by default
    ("หมู", "income", "I03"),  # sold
    ("ไข่", "income", "I03"),
    ("Coke", None, "C07"),
]


@pytest.mark.parametrize(("item", "kind", "code"), ITEMS)
def test_suggestions_for_items_as_written(item, kind, code):
    assert suggest_category(item, kind=kind) == code


@pytest.mark.parametrize("item", ["ปลายนา", "xyz", "", "   ", "1234"])
def test_no_suggestion_without_a_keyword_standing_as_words(item):
    assert suggest(item) is None  # ปลา is not found inside ปลาย


def test_a_category_of_the_other_kind_is_never_suggested():
    assert suggest_category("ขายไข่", kind="expense") is None
    assert suggest_category("ค่าไฟ", kind="income") is None


def test_the_suggestion_names_its_keyword():
    found = suggest("ซื้อ ไข่ไก่ ที่ตลาด")
    assert found is not None and (found.code, found.keyword) == ("C02", "ไข่ไก่")


def test_the_dictionary_is_large_and_names_only_standard_categories():
    keywords = dictionary().keywords
    assert sum(len(entries) for entries in keywords.values()) >= 500
    with pytest.raises(ValueError, match="unknown category"):
        Dictionary([("ไข่", "Z99")], {"C02": "expense"})


def test_words_are_found_by_the_tokenizer_with_the_keywords():
    assert dictionary().words("ค่าจ้างรถไถนา") == ["ค่าจ้างรถไถ", "นา"]
