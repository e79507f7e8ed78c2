"""The default list of topic areas, written by a migration and restorable by tests that truncate tables."""

#: (Vietnamese name, English name), in the order of the lists.
TOPICS = [
    ("Cải cách hành chính", "Administrative reform"), ("Chuyển đổi số", "Digital transformation"),
    ("Quy hoạch, xây dựng, đô thị", "Planning, construction and urban affairs"),
    ("Giao thông vận tải", "Transport"), ("Tài chính, ngân sách", "Finance and budget"),
    ("Đầu tư, kinh doanh", "Investment and business"), ("Y tế", "Health"),
    ("Giáo dục và đào tạo", "Education and training"), ("Môi trường", "Environment"),
    ("Tổ chức bộ máy, công vụ", "Organisation and civil service"), ("Văn hóa, xã hội", "Culture and society"),
    ("An sinh xã hội", "Social security"), ("Khoa học và công nghệ", "Science and technology"), ("Khác", "Other"),
]


def ensure_topics(Topic) -> None:
    """Create the default topics that are missing and name in English those that have no English name; takes the
    model so migrations can pass their historical one (which has no English name before 0025)."""
    english = "name_en" in {field.name for field in Topic._meta.get_fields()}
    for order, (name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order})
        if english:
            Topic.objects.filter(name=name, name_en="").update(name_en=name_en)
