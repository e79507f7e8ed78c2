from django.db import migrations

TOPICS = [
    "Cải cách hành chính", "Chuyển đổi số", "Quy hoạch, xây dựng, đô thị", "Giao thông vận tải",
    "Tài chính, ngân sách", "Đầu tư, kinh doanh", "Y tế", "Giáo dục và đào tạo", "Môi trường",
    "Tổ chức bộ máy, công vụ", "Văn hóa, xã hội", "An sinh xã hội", "Khoa học và công nghệ", "Khác",
]


def create(apps, schema_editor):
    Topic = apps.get_model("proposals", "Topic")
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_audit_append_only")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
