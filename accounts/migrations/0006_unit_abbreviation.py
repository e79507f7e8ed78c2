import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_names_plain'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisationunit',
            name='abbreviation',
            field=models.CharField(blank=True, db_default='', help_text='Ví dụ SXD trong “Số: 12/QĐ-SXD” (Nghị định 30/2020/NĐ-CP). Để trống: lấy chữ cái đầu của tên (UBND với ủy ban nhân dân).', max_length=20, validators=[django.core.validators.RegexValidator('^[A-ZĐ0-9]+$', 'Chỉ dùng chữ in hoa và chữ số, ví dụ SXD.')], verbose_name='chữ viết tắt trong ký hiệu văn bản'),
        ),
    ]
