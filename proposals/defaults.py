"""The default list of topic areas, written by a migration and restorable by tests that truncate tables."""

TOPICS = [
    "Cải cách hành chính", "Chuyển đổi số", "Quy hoạch, xây dựng, đô thị", "Giao thông vận tải",
    "Tài chính, ngân sách", "Đầu tư, kinh doanh", "Y tế", "Giáo dục và đào tạo", "Môi trường",
    "Tổ chức bộ máy, công vụ", "Văn hóa, xã hội", "An sinh xã hội", "Khoa học và công nghệ", "Khác",
]


def ensure_topics(Topic) -> None:
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order})
