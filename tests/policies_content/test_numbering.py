import pytest

from policies_content.numbering import chinese_numeral


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_article_numbers_are_written_as_chinese_documents_write_them(number, text):
    assert chinese_numeral(number) == text
