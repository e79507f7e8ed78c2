"""Vietnamese-looking texts for the bench data: titles, summaries and the plan's long fields.

Made of phrases of the administrative register, composed with a seeded random generator, so that a run with the
same seed writes the same words. Lengths are those of real plans: titles of 8-20 words, a summary of a few hundred
characters, plan fields from a couple of hundred characters to a few kilobytes (the task list is the longest).
"""

from __future__ import annotations

import random

ACTIONS = ("Số hóa", "Đơn giản hóa", "Cải cách", "Chuẩn hóa", "Tự động hóa", "Liên thông", "Rút ngắn thời gian",
           "Nâng cao chất lượng", "Ứng dụng trí tuệ nhân tạo trong", "Thí điểm", "Tái cấu trúc", "Kết nối dữ liệu",
           "Phân cấp", "Công khai", "Tối ưu hóa", "Xã hội hóa", "Chuyển đổi số")
OBJECTS = ("hồ sơ thủ tục hành chính", "quy trình cấp giấy phép xây dựng", "cơ sở dữ liệu dân cư",
           "dịch vụ công trực tuyến", "hồ sơ đất đai", "quản lý trật tự đô thị", "thu gom rác thải sinh hoạt",
           "khám chữa bệnh ban đầu", "tuyển sinh đầu cấp", "đăng ký kinh doanh hộ cá thể", "chứng thực bản sao",
           "quản lý chợ truyền thống", "cấp nước sinh hoạt", "chiếu sáng công cộng", "giám sát giao thông",
           "tiếp nhận phản ánh của người dân", "quản lý tài sản công", "lưu trữ văn bản điện tử",
           "thanh toán không dùng tiền mặt", "kiểm tra an toàn thực phẩm", "hỗ trợ doanh nghiệp nhỏ và vừa",
           "bảo trợ xã hội", "phòng cháy chữa cháy", "quản lý nhà chung cư cũ", "đào tạo cán bộ, công chức")
PLACES = ("tại phường Bến Thành", "trên địa bàn Thành phố", "tại các phường, xã", "tại Trung tâm Phục vụ hành chính công",
          "trong các sở, ngành", "tại khu vực trung tâm", "ở các xã ngoại thành", "tại đặc khu Côn Đảo",
          "trong hệ thống bệnh viện công lập", "tại các trường trung học phổ thông", "trong khu công nghiệp")
PURPOSES = ("nhằm giảm thời gian chờ đợi của người dân", "để tháo gỡ điểm nghẽn về thủ tục",
            "giúp tiết kiệm chi phí ngân sách", "phục vụ người dân và doanh nghiệp tốt hơn",
            "bảo đảm công khai, minh bạch", "nâng cao sự hài lòng của người dân",
            "hướng tới chính quyền số", "giảm tải cho cán bộ tiếp nhận hồ sơ")
SUBJECTS = ("Người dân", "Doanh nghiệp", "Cán bộ một cửa", "Ủy ban nhân dân phường", "Sở chuyên ngành",
            "Tổ công tác", "Bộ phận tiếp nhận và trả kết quả", "Trung tâm chuyển đổi số", "Lãnh đạo đơn vị")
VERBS = ("phải đi lại nhiều lần để", "mất trung bình mười lăm ngày để", "chưa được hướng dẫn đầy đủ khi",
         "sẽ được hỗ trợ trực tuyến khi", "có thể theo dõi tiến độ khi", "phối hợp chặt chẽ để",
         "chịu trách nhiệm tổ chức", "được giao chủ trì", "đề nghị được thí điểm", "thường xuyên phản ánh khó khăn khi")
TAILS = ("nộp hồ sơ và nhận kết quả", "bổ sung giấy tờ đã có trong cơ sở dữ liệu", "xin ý kiến nhiều cơ quan",
         "thanh toán phí, lệ phí", "tra cứu thông tin quy hoạch", "đối chiếu bản gốc", "báo cáo định kỳ hằng tháng",
         "triển khai trên toàn địa bàn", "đánh giá kết quả sau sáu tháng", "vận hành hệ thống mới")
CONNECTORS = ("Bên cạnh đó,", "Ngoài ra,", "Đồng thời,", "Trên thực tế,", "Theo số liệu năm trước,",
              "Qua khảo sát,", "Trong giai đoạn đầu,", "Sau khi triển khai,", "Về lâu dài,")
NUMBERS = ("15%", "30%", "hai tuần", "ba tháng", "1.200 hồ sơ", "năm ngày làm việc", "hơn 40.000 lượt",
           "khoảng 2 tỷ đồng", "mười hai đơn vị", "sáu tháng")


def sentence(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(TAILS)} {rng.choice(PLACES)}"
    elif shape == 1:
        text = (f"{rng.choice(CONNECTORS)} việc {rng.choice(ACTIONS).lower()} {rng.choice(OBJECTS)} "
                f"{rng.choice(PURPOSES)}")
    elif shape == 2:
        text = (f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} giúp rút ngắn "
                f"{rng.choice(NUMBERS)} và {rng.choice(PURPOSES)}")
    else:
        text = (f"{rng.choice(CONNECTORS)} {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} "
                f"{rng.choice(TAILS)}, dự kiến trong {rng.choice(NUMBERS)}")
    return text + "."


def paragraph(rng: random.Random, length: int) -> str:
    """About `length` characters of sentences, in paragraphs of three to six sentences."""
    parts, size, in_paragraph = [], 0, 0
    while size < length:
        piece = sentence(rng)
        in_paragraph += 1
        if in_paragraph > rng.randint(3, 6):
            piece, in_paragraph = "\n\n" + piece, 0
        parts.append(piece)
        size += len(piece) + 1
    return " ".join(parts).replace(" \n\n", "\n\n")


def title(rng: random.Random) -> str:
    return f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} {rng.choice(PURPOSES)}"


#: The plan's long fields and their typical lengths in characters (DOMAIN.md: Decree 73, Art. 7(2)).
PLAN_LENGTHS = {
    "necessity": 450, "bottleneck": 300, "objectives": 250, "content_solutions": 1400, "scope": 120,
    "implementers": 150, "timeline_description": 220, "resources": 180, "feasibility": 250,
    "positive_impact": 250, "negative_impact": 150, "expected_results": 250, "risks": 200, "worst_case": 150,
    "risk_handling": 250,
}


def plan(rng: random.Random) -> dict[str, str]:
    """One plan: a summary and the long fields, each 0.5-1.8 times its typical length."""
    fields = {"summary": paragraph(rng, rng.randint(250, 700))}
    for name, typical in PLAN_LENGTHS.items():
        fields[name] = paragraph(rng, int(typical * rng.uniform(0.5, 1.8)))
    return fields
