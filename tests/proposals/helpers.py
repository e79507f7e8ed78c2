"""Build proposals through the real services."""

import datetime
import uuid

from proposals import services
from proposals.models import Topic


def complete_plan(**overrides) -> dict:
    data = {
        "title": "Số hóa hồ sơ cấp phép xây dựng",
        "topic": Topic.objects.order_by("order").first(),
        "summary": "Tiếp nhận và trả kết quả hoàn toàn trực tuyến.",
        "necessity": "Hồ sơ giấy kéo dài thời gian xử lý.",
        "bottleneck": "Chưa có quy định về hồ sơ điện tử có giá trị như bản giấy.",
        "objectives": "Giảm 50% thời gian giải quyết.",
        "content_solutions": "Xây dựng quy trình điện tử, ký số.",
        "scope": "Toàn Sở Xây dựng.",
        "implementers": "Phòng Quản lý nhà.",
        "start_date": datetime.date(2027, 1, 4),
        "end_date": datetime.date(2027, 6, 30),
        "timeline_description": "Quý I thí điểm, quý II nhân rộng.",
        "resources": "5 cán bộ, 2 máy chủ.",
        "budget_amount": 500_000_000,
        "budget_source": "Ngân sách thành phố",
        "feasibility": "Đã có hạ tầng.",
        "positive_impact": "Người dân tiết kiệm thời gian.",
        "negative_impact": "Cán bộ cần đào tạo lại.",
        "expected_results": "100% hồ sơ trực tuyến.",
        "risks": "Lỗi hệ thống.",
        "worst_case": "Mất dữ liệu.",
        "risk_handling": "Sao lưu hằng ngày.",
        "cond_removes_bottleneck": True,
        "cond_common_good": True,
        "cond_urgent_no_harm": True,
        "cond_within_authority": True,
        "commitment": True,
        "involved_units": [],
    }
    data.update(overrides)
    return data


def draft(author, **overrides):
    return services.proposal_create_draft(actor=author, data=complete_plan(**overrides), creation_token=uuid.uuid4())


def submitted(author, **overrides):
    return services.proposal_submit(actor=author, proposal=draft(author, **overrides))
