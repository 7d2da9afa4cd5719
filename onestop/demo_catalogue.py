"""Curated demo catalogue: real administrative procedures of a Vietnamese city and its wards.

The names are those of the national database of administrative procedures
(district and commune level, as published around 2022). Each *family* shares a
sector, the desk that receives it (``ward``: every ward and commune; ``city``:
the city people's committee desk), a processing chain, documents, legal basis
and result; its *variants* are the procedures themselves, each with its level
and, when it differs, its own time, fee or result. ``onestop.demo`` turns this
into rows; ``services()`` yields them in a fixed order so codes are stable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

WARD = "ward"
CITY = "city"

# RequiredDocument.Form values
ORIG, COPY, CERT = "original", "copy", "certified"

SECTORS = [
    ("HT", "Hộ tịch"),
    ("CT", "Chứng thực"),
    ("NCN", "Nuôi con nuôi"),
    ("HGCS", "Hòa giải ở cơ sở"),
    ("PBGDPL", "Phổ biến, giáo dục pháp luật"),
    ("BTNN", "Bồi thường nhà nước"),
    ("KNTC", "Tiếp công dân, giải quyết khiếu nại, tố cáo"),
    ("PCTN", "Phòng, chống tham nhũng"),
    ("DD", "Đất đai"),
    ("DKBD", "Đăng ký biện pháp bảo đảm"),
    ("XD", "Xây dựng"),
    ("QHXD", "Quy hoạch xây dựng"),
    ("HTKT", "Hạ tầng kỹ thuật đô thị"),
    ("NO", "Nhà ở"),
    ("HKD", "Kinh doanh (hộ kinh doanh)"),
    ("HTX", "Thành lập và hoạt động của hợp tác xã"),
    ("THT", "Thành lập và hoạt động của tổ hợp tác"),
    ("LTHH", "Lưu thông hàng hóa trong nước"),
    ("ATTP", "An toàn thực phẩm"),
    ("NN", "Nông nghiệp"),
    ("PCTT", "Phòng, chống thiên tai"),
    ("DTND", "Đường thủy nội địa"),
    ("DB", "Đường bộ"),
    ("LDTBXH", "Lao động - Thương binh và Xã hội"),
    ("BTXH", "Bảo trợ xã hội"),
    ("NCC", "Người có công"),
    ("TE", "Trẻ em"),
    ("PCTNXH", "Phòng, chống tệ nạn xã hội"),
    ("VH", "Văn hóa"),
    ("TV", "Thư viện"),
    ("TDTT", "Thể dục thể thao"),
    ("GD", "Gia đình"),
    ("TTDT", "Phát thanh, truyền hình và thông tin điện tử"),
    ("GDDT", "Giáo dục"),
    ("YT", "Y tế"),
    ("DS", "Dân số - Kế hoạch hóa gia đình"),
    ("MT", "Tài nguyên môi trường"),
    ("TNN", "Tài nguyên nước"),
    ("TDKT", "Thi đua khen thưởng"),
    ("TG", "Tôn giáo"),
    ("TCPCP", "Tổ chức phi chính phủ (hội, quỹ)"),
]

# --- legal bases -------------------------------------------------------------------

L_HT = (
    "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ; "
    "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ Tư pháp; Thông tư số 85/2019/TT-BTC ngày "
    "29/11/2019 của Bộ Tài chính."
)
L_LIENTHONG = (
    L_HT + " Luật Cư trú số 68/2020/QH14; Luật Bảo hiểm y tế; Nghị định số 104/2022/NĐ-CP; "
    "Thông tư liên tịch số 05/2015/TTLT-BTP-BCA-BYT."
)
L_CT = (
    "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ; Thông tư số 01/2020/TT-BTP ngày "
    "03/3/2020 của Bộ Tư pháp; Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính."
)
L_CT_DT = (
    L_CT
    + " Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử."
)
L_NCN = (
    "Luật Nuôi con nuôi số 52/2010/QH12; Nghị định số 19/2011/NĐ-CP ngày 21/3/2011; Nghị định số "
    "24/2019/NĐ-CP ngày 05/3/2019 của Chính phủ."
)
L_HG = "Luật Hòa giải ở cơ sở số 35/2013/QH13; Nghị định số 15/2014/NĐ-CP ngày 27/02/2014 của Chính phủ."
L_PB = (
    "Luật Phổ biến, giáo dục pháp luật số 14/2012/QH13; Quyết định số 25/2021/QĐ-TTg ngày "
    "22/7/2021 của Thủ tướng Chính phủ; Thông tư số 10/2016/TT-BTP ngày 22/7/2016 của Bộ Tư pháp."
)
L_BT = (
    "Luật Trách nhiệm bồi thường của Nhà nước số 10/2017/QH14; Nghị định số 68/2018/NĐ-CP ngày "
    "15/5/2018 của Chính phủ."
)
L_KN = (
    "Luật Khiếu nại số 02/2011/QH13; Nghị định số 124/2020/NĐ-CP ngày 19/10/2020 của Chính phủ; "
    "Thông tư số 05/2021/TT-TTCP ngày 01/10/2021 của Thanh tra Chính phủ."
)
L_TC = "Luật Tố cáo số 25/2018/QH14; Nghị định số 31/2019/NĐ-CP ngày 10/4/2019 của Chính phủ."
L_TCD = "Luật Tiếp công dân số 42/2013/QH13; Nghị định số 64/2014/NĐ-CP ngày 26/6/2014 của Chính phủ."
L_PCTN = (
    "Luật Phòng, chống tham nhũng số 36/2018/QH14; Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ."
)
L_DD = (
    "Luật Đất đai số 45/2013/QH13; Nghị định số 43/2014/NĐ-CP ngày 15/5/2014; Nghị định số "
    "01/2017/NĐ-CP ngày 06/01/2017 của Chính phủ; Thông tư số 24/2014/TT-BTNMT ngày 19/5/2014 "
    "của Bộ Tài nguyên và Môi trường."
)
L_DKBD = (
    "Bộ luật Dân sự năm 2015; Nghị định số 102/2017/NĐ-CP ngày 01/9/2017 của Chính phủ về đăng ký "
    "biện pháp bảo đảm; Thông tư số 07/2019/TT-BTP ngày 25/11/2019 của Bộ Tư pháp."
)
L_XD = (
    "Luật Xây dựng số 50/2014/QH13; Luật số 62/2020/QH14 sửa đổi, bổ sung một số điều của Luật "
    "Xây dựng; Nghị định số 15/2021/NĐ-CP ngày 03/3/2021 của Chính phủ."
)
L_QH = (
    "Luật Quy hoạch đô thị số 30/2009/QH12; Nghị định số 37/2010/NĐ-CP ngày 07/4/2010; Nghị định "
    "số 44/2015/NĐ-CP ngày 06/5/2015 của Chính phủ."
)
L_CAYXANH = "Nghị định số 64/2010/NĐ-CP ngày 11/6/2010 của Chính phủ về quản lý cây xanh đô thị."
L_SONHA = "Thông tư số 05/2006/TT-BXD ngày 01/11/2006 của Bộ Xây dựng hướng dẫn thực hiện quy chế đánh số và gắn biển số nhà."
L_THOATNUOC = "Nghị định số 80/2014/NĐ-CP ngày 06/8/2014 của Chính phủ về thoát nước và xử lý nước thải."
L_HEPHO = (
    "Nghị định số 11/2010/NĐ-CP ngày 24/02/2010 của Chính phủ; Thông tư số 50/2015/TT-BGTVT ngày "
    "23/9/2015 của Bộ Giao thông vận tải."
)
L_NO = "Luật Nhà ở số 65/2014/QH13; Nghị định số 99/2015/NĐ-CP ngày 20/10/2015 của Chính phủ."
L_HKD = (
    "Nghị định số 01/2021/NĐ-CP ngày 04/01/2021 của Chính phủ về đăng ký doanh nghiệp; Thông tư "
    "số 01/2021/TT-BKHĐT ngày 16/3/2021 của Bộ Kế hoạch và Đầu tư; Thông tư số 85/2019/TT-BTC."
)
L_HTX = (
    "Luật Hợp tác xã số 23/2012/QH13; Nghị định số 193/2013/NĐ-CP ngày 21/11/2013 của Chính phủ; "
    "Thông tư số 07/2019/TT-BKHĐT ngày 08/4/2019 của Bộ Kế hoạch và Đầu tư."
)
L_THT = "Bộ luật Dân sự năm 2015; Nghị định số 77/2019/NĐ-CP ngày 10/10/2019 của Chính phủ về tổ hợp tác."
L_RUOU = (
    "Nghị định số 105/2017/NĐ-CP ngày 14/9/2017 của Chính phủ về kinh doanh rượu; Nghị định số "
    "17/2020/NĐ-CP ngày 05/02/2020 của Chính phủ; Thông tư số 168/2016/TT-BTC ngày 26/10/2016 "
    "của Bộ Tài chính."
)
L_THUOCLA = (
    "Luật Phòng, chống tác hại của thuốc lá số 09/2012/QH13; Nghị định số 67/2013/NĐ-CP ngày "
    "27/6/2013; Nghị định số 106/2017/NĐ-CP ngày 14/9/2017; Nghị định số 17/2020/NĐ-CP của Chính phủ."
)
L_ATTP = (
    "Luật An toàn thực phẩm số 55/2010/QH12; Nghị định số 15/2018/NĐ-CP ngày 02/02/2018 của Chính "
    "phủ; Thông tư số 67/2021/TT-BTC ngày 05/8/2021 của Bộ Tài chính."
)
L_THUYNOIDIA = (
    "Luật Giao thông đường thủy nội địa năm 2004, sửa đổi, bổ sung năm 2014; Thông tư số "
    "75/2014/TT-BGTVT ngày 19/12/2014 của Bộ Giao thông vận tải; Thông tư số 198/2016/TT-BTC ngày "
    "08/11/2016 của Bộ Tài chính."
)
L_DUONGBO = (
    "Luật Giao thông đường bộ số 23/2008/QH12; Nghị định số 11/2010/NĐ-CP ngày 24/02/2010 của Chính "
    "phủ; Thông tư số 50/2015/TT-BGTVT ngày 23/9/2015 của Bộ Giao thông vận tải."
)
L_THIENTAI = (
    "Nghị định số 02/2017/NĐ-CP ngày 09/01/2017 của Chính phủ về cơ chế, chính sách hỗ trợ sản xuất "
    "nông nghiệp để khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh."
)
L_CHANNUOI = "Luật Chăn nuôi số 32/2018/QH14; Nghị định số 13/2020/NĐ-CP ngày 21/01/2020 của Chính phủ."
L_KHUYENNONG = "Nghị định số 83/2018/NĐ-CP ngày 24/5/2018 của Chính phủ về khuyến nông."
L_LIENKET = (
    "Nghị định số 98/2018/NĐ-CP ngày 05/7/2018 của Chính phủ về chính sách khuyến khích phát triển "
    "hợp tác, liên kết trong sản xuất và tiêu thụ sản phẩm nông nghiệp."
)
L_PCTT = (
    "Luật Phòng, chống thiên tai số 33/2013/QH13; Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ."
)
L_BTXH = (
    "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ quy định chính sách trợ giúp xã hội "
    "đối với đối tượng bảo trợ xã hội; Thông tư số 02/2021/TT-BLĐTBXH ngày 24/6/2021 của Bộ Lao "
    "động - Thương binh và Xã hội."
)
L_NKT = (
    "Luật Người khuyết tật số 51/2010/QH12; Nghị định số 28/2012/NĐ-CP ngày 10/4/2012 của Chính phủ; "
    "Thông tư số 01/2019/TT-BLĐTBXH ngày 02/01/2019 của Bộ Lao động - Thương binh và Xã hội."
)
L_NGHEO = (
    "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều giai "
    "đoạn 2022 - 2025; Quyết định số 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ."
)
L_CSTG = (
    "Nghị định số 103/2017/NĐ-CP ngày 12/9/2017 của Chính phủ về thành lập, tổ chức, hoạt động, "
    "giải thể và quản lý các cơ sở trợ giúp xã hội."
)
L_NCC = (
    "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14; Nghị định số 131/2021/NĐ-CP "
    "ngày 30/12/2021 của Chính phủ."
)
L_TE = "Luật Trẻ em số 102/2016/QH13; Nghị định số 56/2017/NĐ-CP ngày 09/5/2017 của Chính phủ."
L_MATUY = (
    "Luật Phòng, chống ma túy số 73/2021/QH14; Nghị định số 116/2021/NĐ-CP ngày 21/12/2021 của Chính phủ."
)
L_MBN = "Luật Phòng, chống mua bán người số 66/2011/QH12; Nghị định số 09/2013/NĐ-CP ngày 11/01/2013 của Chính phủ."
L_GDNN = (
    "Quyết định số 46/2015/QĐ-TTg ngày 28/9/2015 của Thủ tướng Chính phủ quy định chính sách hỗ trợ "
    "đào tạo trình độ sơ cấp, đào tạo dưới 03 tháng."
)
L_KARAOKE = (
    "Nghị định số 54/2019/NĐ-CP ngày 19/6/2019 của Chính phủ quy định về kinh doanh dịch vụ "
    "karaoke, dịch vụ vũ trường; Thông tư số 01/2021/TT-BTC ngày 07/01/2021 của Bộ Tài chính."
)
L_LEHOI = "Nghị định số 110/2018/NĐ-CP ngày 29/8/2018 của Chính phủ quy định về quản lý và tổ chức lễ hội."
L_DHVH = (
    "Nghị định số 122/2018/NĐ-CP ngày 17/9/2018 của Chính phủ quy định về xét tặng danh hiệu "
    "“Gia đình văn hóa”, “Thôn văn hóa”, “Ấp văn hóa”, “Tổ dân phố văn hóa”."
)
L_CQVH = (
    "Thông tư số 08/2014/TT-BVHTTDL ngày 24/9/2014 của Bộ Văn hóa, Thể thao và Du lịch quy định "
    "tiêu chuẩn, trình tự, thủ tục xét và công nhận “Cơ quan đạt chuẩn văn hóa”, “Đơn vị đạt "
    "chuẩn văn hóa”, “Doanh nghiệp đạt chuẩn văn hóa”."
)
L_NTM = (
    "Quyết định số 22/2013/QĐ-TTg ngày 26/4/2013 của Thủ tướng Chính phủ; Thông tư số "
    "17/2011/TT-BVHTTDL ngày 02/12/2011 của Bộ Văn hóa, Thể thao và Du lịch."
)
L_TV = "Luật Thư viện số 46/2019/QH14; Nghị định số 93/2020/NĐ-CP ngày 18/8/2020 của Chính phủ."
L_TDTT = (
    "Luật Thể dục, thể thao số 77/2006/QH11, sửa đổi, bổ sung năm 2018; Thông tư số "
    "18/2011/TT-BVHTTDL ngày 02/12/2011 của Bộ Văn hóa, Thể thao và Du lịch."
)
L_GAME = (
    "Nghị định số 72/2013/NĐ-CP ngày 15/7/2013 của Chính phủ; Nghị định số 27/2018/NĐ-CP ngày "
    "01/3/2018 của Chính phủ; Thông tư số 24/2014/TT-BTTTT ngày 29/12/2014 của Bộ Thông tin và "
    "Truyền thông."
)
L_BLGD = (
    "Luật Phòng, chống bạo lực gia đình số 02/2007/QH12; Nghị định số 08/2009/NĐ-CP ngày "
    "04/02/2009 của Chính phủ."
)
L_GD = (
    "Luật Giáo dục số 43/2019/QH14; Nghị định số 46/2017/NĐ-CP ngày 21/4/2017 của Chính phủ; Nghị "
    "định số 135/2018/NĐ-CP ngày 04/10/2018 của Chính phủ."
)
L_MN = (
    L_GD
    + " Nghị định số 105/2020/NĐ-CP ngày 08/9/2020 của Chính phủ quy định chính sách phát triển giáo dục mầm non."
)
L_CHUYENTRUONG = (
    "Thông tư số 50/2021/TT-BGDĐT ngày 31/12/2021 của Bộ Giáo dục và Đào tạo ban hành Quy định về "
    "chuyển trường và tiếp nhận học sinh học tại các trường trung học cơ sở và trung học phổ thông."
)
L_VANBANG = (
    "Thông tư số 21/2019/TT-BGDĐT ngày 29/11/2019 của Bộ Giáo dục và Đào tạo ban hành Quy chế quản "
    "lý bằng tốt nghiệp trung học cơ sở, bằng tốt nghiệp trung học phổ thông, văn bằng giáo dục "
    "đại học và chứng chỉ của hệ thống giáo dục quốc dân."
)
L_DAYTHEM = "Thông tư số 17/2012/TT-BGDĐT ngày 16/5/2012 của Bộ Giáo dục và Đào tạo ban hành Quy định về dạy thêm, học thêm."
L_PCGD = "Nghị định số 20/2014/NĐ-CP ngày 24/3/2014 của Chính phủ về phổ cập giáo dục, xóa mù chữ."
L_NGOAINGU = (
    "Quyết định số 72/2014/QĐ-TTg ngày 17/12/2014 của Thủ tướng Chính phủ quy định việc dạy và học "
    "bằng tiếng nước ngoài trong nhà trường và cơ sở giáo dục khác."
)
L_DANSO = "Pháp lệnh Dân số năm 2003, sửa đổi, bổ sung năm 2008; Nghị định số 39/2015/NĐ-CP ngày 27/4/2015 của Chính phủ."
L_MOITRUONG = (
    "Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP ngày 10/01/2022 của Chính "
    "phủ; Thông tư số 02/2022/TT-BTNMT ngày 10/01/2022 của Bộ Tài nguyên và Môi trường."
)
L_NUOC = (
    "Luật Tài nguyên nước số 17/2012/QH13; Nghị định số 201/2013/NĐ-CP ngày 27/11/2013 của Chính "
    "phủ; Thông tư số 27/2014/TT-BTNMT ngày 30/5/2014 của Bộ Tài nguyên và Môi trường."
)
L_TDKT = (
    "Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2005 và 2013; Nghị định số "
    "91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ; Thông tư số 12/2019/TT-BNV ngày 04/11/2019 của Bộ Nội vụ."
)
L_TG = "Luật Tín ngưỡng, tôn giáo số 02/2016/QH14; Nghị định số 162/2017/NĐ-CP ngày 30/12/2017 của Chính phủ."
L_HOI = (
    "Nghị định số 45/2010/NĐ-CP ngày 21/4/2010 của Chính phủ quy định về tổ chức, hoạt động và "
    "quản lý hội; Nghị định số 33/2012/NĐ-CP ngày 13/4/2012 của Chính phủ; Thông tư số "
    "03/2013/TT-BNV ngày 16/4/2013 của Bộ Nội vụ."
)
L_QUY = "Nghị định số 93/2019/NĐ-CP ngày 25/11/2019 của Chính phủ về tổ chức, hoạt động của quỹ xã hội, quỹ từ thiện."

# --- common documents -------------------------------------------------------------

ID = (
    "Giấy tờ tùy thân (Căn cước công dân, Chứng minh nhân dân hoặc Hộ chiếu) của người nộp hồ sơ",
    COPY,
    1,
    True,
)
PROXY = ("Văn bản ủy quyền theo quy định của pháp luật (trường hợp nộp hồ sơ thay)", ORIG, 1, False)
RESIDENCE = (
    "Giấy tờ chứng minh nơi cư trú (trường hợp cơ sở dữ liệu quốc gia về dân cư chưa có thông tin)",
    COPY,
    1,
    False,
)
LAND_CERT = (
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất đã cấp",
    ORIG,
    1,
    True,
)


def docs(*rows):
    return list(rows)


# --- chains -----------------------------------------------------------------------
# A chain is a list of (step name, unit code or None, working days); None means the
# unit that received the dossier (the ward or commune for ward services).

CHECK = "Thẩm định hồ sơ"
SIGN_WARD = "Chủ tịch UBND phường, xã ký, phê duyệt kết quả"
SIGN_CITY = "Lãnh đạo UBND thành phố ký, phê duyệt kết quả"


WARD_CHECK = "Công chức chuyên môn thẩm định hồ sơ"
WARD_SINGLE = "Công chức chuyên môn xử lý hồ sơ, trình ký"


def ward(days: int, check: str = WARD_CHECK):
    """Processed by the ward or commune that received the dossier."""
    if days <= 1:
        return [(WARD_SINGLE if check == WARD_CHECK else check, None, 1)]
    return [(check, None, days - 1), (SIGN_WARD, None, 1)]


def ward_to_city(ward_days: int, dept: str, dept_days: int, sign_days: int, ward_step: str, dept_step: str):
    """Received and verified by the ward, appraised by a city department, decided by the city."""
    return [
        (ward_step, None, ward_days),
        (dept_step, dept, dept_days),
        ("Chủ tịch UBND thành phố ra quyết định", "UBND", sign_days),
    ]


def city(dept: str, days: int, sign: int = 2, check: str = CHECK):
    """Appraised by a city department, then signed by the city people's committee."""
    return [(check, dept, days - sign), (SIGN_CITY, "UBND", sign)]


def dept(unit: str, days: int, step: str = "Thẩm định hồ sơ, ký duyệt kết quả"):
    """Decided by the department itself."""
    return [(step, unit, days)]


@dataclass
class Family:
    sector: str
    scope: str
    chain: list
    result: str
    documents: list
    legal: str
    variants: list
    fee: int = 0
    fee_note: str = ""


@dataclass
class Spec:
    """One service as the seeder creates it."""

    code: str
    name: str
    sector: str
    level: int
    scope: str
    chain: list
    result: str
    documents: list
    legal: str
    fee: int
    fee_note: str
    description: str = ""
    extra: dict = field(default_factory=dict)


def with_days(chain: list, days: int) -> list:
    """The chain scaled to ``days`` working days in total, every step at least one day."""
    if all(unit is None for _n, unit, _d in chain):
        check = chain[0][0]
        return ward(days, WARD_CHECK if check == WARD_SINGLE else check)
    if days < len(chain):
        raise ValueError(f"cannot fit {days} days into {chain}")
    total = sum(d for _n, _u, d in chain)
    scaled = [max(1, round(d * days / total)) for _n, _u, d in chain]
    while sum(scaled) != days:
        step = 1 if sum(scaled) < days else -1
        candidates = [i for i, d in enumerate(scaled) if d + step >= 1]
        longest = max(candidates, key=lambda i: scaled[i])
        scaled[longest] += step
    return [(name, unit, d) for (name, unit, _d), d in zip(chain, scaled, strict=True)]


def license_set(thing: str, levels=(4, 4, 4, 4), gia_han: bool = True, sua_doi: str = "Cấp sửa đổi, bổ sung"):
    """The usual set of a licence: grant, amend, renew (if any), re-issue."""
    names = [f"Cấp {thing}", f"{sua_doi} {thing}"]
    if gia_han:
        names.append(f"Gia hạn {thing}")
    names.append(f"Cấp lại {thing}")
    return list(zip(levels, names, strict=False))


# --- the catalogue ----------------------------------------------------------------

FAMILIES: list[Family] = [
    # Hộ tịch (ward)
    Family(
        "HT",
        WARD,
        ward(1),
        "Giấy khai sinh (bản chính)",
        docs(
            ("Tờ khai đăng ký khai sinh (theo mẫu)", ORIG, 1, True),
            ("Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", ORIG, 1, True),
            ID,
            PROXY,
        ),
        L_HT,
        [
            (
                4,
                "Đăng ký khai sinh",
                {"code": "1.001193", "fee_note": "Miễn lệ phí đăng ký khai sinh đúng hạn"},
            ),
            (4, "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", {"days": 3}),
            (4, "Đăng ký lại khai sinh", {"days": 5}),
            (4, "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", {"days": 3}),
            (3, "Đăng ký khai sinh lưu động", {"days": 5}),
            (
                4,
                "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                {
                    "chain": [
                        ("Đăng ký khai sinh", None, 1),
                        ("Đăng ký thường trú", "CATP", 3),
                        ("Cấp thẻ bảo hiểm y tế", "BHXH", 2),
                    ],
                    "legal": L_LIENTHONG,
                    "result": "Giấy khai sinh, xác nhận đăng ký thường trú và thẻ bảo hiểm y tế của trẻ em",
                },
            ),
            (
                4,
                "Liên thông các thủ tục hành chính về đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                {
                    "chain": [("Đăng ký khai sinh", None, 1), ("Cấp thẻ bảo hiểm y tế", "BHXH", 2)],
                    "legal": L_LIENTHONG,
                    "result": "Giấy khai sinh và thẻ bảo hiểm y tế của trẻ em",
                },
            ),
        ],
    ),
    Family(
        "HT",
        WARD,
        ward(1),
        "Trích lục khai tử (bản chính)",
        docs(
            ("Tờ khai đăng ký khai tử (theo mẫu)", ORIG, 1, True),
            ("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", ORIG, 1, True),
            ID,
            PROXY,
        ),
        L_HT,
        [
            (4, "Đăng ký khai tử", {"fee_note": "Miễn lệ phí đăng ký khai tử đúng hạn"}),
            (4, "Đăng ký lại khai tử", {"days": 5}),
            (3, "Đăng ký khai tử lưu động", {"days": 5}),
            (
                4,
                "Liên thông các thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, trợ cấp mai táng",
                {
                    "chain": [
                        ("Đăng ký khai tử", None, 1),
                        ("Xóa đăng ký thường trú", "CATP", 2),
                        ("Giải quyết chế độ tử tuất, trợ cấp mai táng", "BHXH", 5),
                    ],
                    "legal": L_LIENTHONG,
                    "result": "Trích lục khai tử, xác nhận xóa đăng ký thường trú và quyết định hưởng chế độ tử tuất",
                },
            ),
        ],
    ),
    Family(
        "HT",
        WARD,
        ward(1),
        "Giấy chứng nhận kết hôn (bản chính)",
        docs(
            ("Tờ khai đăng ký kết hôn (theo mẫu)", ORIG, 1, True),
            ("Giấy xác nhận tình trạng hôn nhân (trường hợp cư trú ở nơi khác)", ORIG, 1, False),
            ID,
        ),
        L_HT,
        [
            (
                4,
                "Đăng ký kết hôn",
                {"code": "1.000894", "fee_note": "Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước"},
            ),
            (4, "Đăng ký lại kết hôn", {"days": 5}),
            (3, "Đăng ký kết hôn lưu động", {"days": 5}),
        ],
    ),
    Family(
        "HT",
        WARD,
        ward(3),
        "Trích lục đăng ký hộ tịch",
        docs(("Tờ khai đăng ký (theo mẫu)", ORIG, 1, True), ID, PROXY),
        L_HT,
        [
            (
                4,
                "Đăng ký nhận cha, mẹ, con",
                {
                    "result": "Trích lục đăng ký nhận cha, mẹ, con",
                    "extra_docs": [
                        ("Văn bản của cơ quan y tế, giám định xác nhận quan hệ cha, mẹ, con", ORIG, 1, True)
                    ],
                },
            ),
            (
                4,
                "Đăng ký giám hộ",
                {
                    "result": "Trích lục đăng ký giám hộ",
                    "extra_docs": [
                        ("Văn bản cử người giám hộ theo quy định của Bộ luật Dân sự", ORIG, 1, True)
                    ],
                },
            ),
            (4, "Đăng ký chấm dứt giám hộ", {"days": 2, "result": "Trích lục đăng ký chấm dứt giám hộ"}),
            (
                4,
                "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
                {
                    "fee": 15000,
                    "result": "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
                    "extra_docs": [
                        ("Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung thông tin hộ tịch", COPY, 1, True)
                    ],
                },
            ),
            (
                4,
                "Cấp bản sao trích lục hộ tịch",
                {
                    "days": 1,
                    "fee": 8000,
                    "fee_note": "8.000 đồng/bản sao trích lục",
                    "result": "Bản sao trích lục hộ tịch",
                },
            ),
            (
                4,
                "Cấp Giấy xác nhận tình trạng hôn nhân",
                {
                    "fee": 10000,
                    "result": "Giấy xác nhận tình trạng hôn nhân",
                    "extra_docs": [
                        ("Giấy tờ chứng minh việc đã ly hôn hoặc người kia đã chết (nếu có)", COPY, 1, False)
                    ],
                },
            ),
            (3, "Xác nhận thông tin hộ tịch", {"result": "Văn bản xác nhận thông tin hộ tịch"}),
        ],
    ),
    # Hộ tịch có yếu tố nước ngoài (city, Phòng Tư pháp)
    Family(
        "HT",
        CITY,
        city("TP", 3, sign=1, check="Phòng Tư pháp thẩm định, đăng ký vào sổ hộ tịch"),
        "Trích lục đăng ký hộ tịch có yếu tố nước ngoài",
        docs(
            ("Tờ khai đăng ký hộ tịch có yếu tố nước ngoài (theo mẫu)", ORIG, 1, True),
            ("Hộ chiếu hoặc giấy tờ có giá trị thay thế hộ chiếu của người nước ngoài", CERT, 1, True),
            ID,
            PROXY,
        ),
        L_HT,
        [
            (
                4,
                "Đăng ký khai sinh có yếu tố nước ngoài",
                {"fee": 75000, "result": "Giấy khai sinh (bản chính)"},
            ),
            (
                4,
                "Đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ, giấy tờ cá nhân",
                {"fee": 75000, "days": 5, "result": "Giấy khai sinh (bản chính)"},
            ),
            (
                4,
                "Đăng ký lại khai sinh có yếu tố nước ngoài",
                {"fee": 75000, "days": 5, "result": "Giấy khai sinh (bản chính)"},
            ),
            (
                3,
                "Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài",
                {"fee": 1500000, "days": 5, "result": "Giấy khai sinh và trích lục nhận cha, mẹ, con"},
            ),
            (
                3,
                "Đăng ký kết hôn có yếu tố nước ngoài",
                {"fee": 1000000, "days": 15, "result": "Giấy chứng nhận kết hôn"},
            ),
            (
                3,
                "Đăng ký lại kết hôn có yếu tố nước ngoài",
                {"fee": 1000000, "days": 5, "result": "Giấy chứng nhận kết hôn"},
            ),
            (4, "Đăng ký khai tử có yếu tố nước ngoài", {"fee": 75000, "result": "Trích lục khai tử"}),
            (
                4,
                "Đăng ký lại khai tử có yếu tố nước ngoài",
                {"fee": 75000, "days": 5, "result": "Trích lục khai tử"},
            ),
            (
                3,
                "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
                {"fee": 1000000, "days": 15, "result": "Trích lục đăng ký nhận cha, mẹ, con"},
            ),
            (
                4,
                "Đăng ký giám hộ có yếu tố nước ngoài",
                {"fee": 75000, "result": "Trích lục đăng ký giám hộ"},
            ),
            (
                4,
                "Đăng ký chấm dứt giám hộ có yếu tố nước ngoài",
                {"fee": 75000, "result": "Trích lục đăng ký chấm dứt giám hộ"},
            ),
            (
                4,
                "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
                {"fee": 28000, "result": "Trích lục thay đổi, cải chính hộ tịch, xác định lại dân tộc"},
            ),
            (
                4,
                "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
                {"fee": 75000, "days": 5, "result": "Trích lục ghi chú kết hôn"},
            ),
            (
                4,
                "Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
                {"fee": 75000, "days": 12, "result": "Trích lục ghi chú ly hôn"},
            ),
            (
                4,
                "Ghi vào Sổ hộ tịch việc hộ tịch khác của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
                {"fee": 75000, "days": 5, "result": "Trích lục ghi chú việc hộ tịch"},
            ),
        ],
    ),
    # Chứng thực (ward)
    Family(
        "CT",
        WARD,
        ward(1, check="Người thực hiện chứng thực kiểm tra, ký chứng thực"),
        "Giấy tờ, văn bản được chứng thực",
        docs(
            ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực", ORIG, 1, True),
            ("Bản sao, giấy tờ cần chứng thực", COPY, 1, True),
        ),
        L_CT,
        [
            (
                4,
                "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
                {
                    "fee": 2000,
                    "fee_note": "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản",
                    "result": "Bản sao được chứng thực từ bản chính",
                },
            ),
            (
                4,
                "Cấp bản sao điện tử được chứng thực từ bản chính",
                {
                    "fee": 2000,
                    "fee_note": "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang",
                    "legal": L_CT_DT,
                    "result": "Bản sao điện tử được chứng thực từ bản chính",
                },
            ),
            (
                4,
                "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)",
                {
                    "fee": 10000,
                    "fee_note": "10.000 đồng/trường hợp",
                    "docs": [("Giấy tờ, văn bản cần chứng thực chữ ký", ORIG, 1, True), ID],
                    "result": "Giấy tờ, văn bản được chứng thực chữ ký",
                },
            ),
            (
                4,
                "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
                {
                    "fee": 2000,
                    "fee_note": "2.000 đồng/trang",
                    "result": "Bản sao có chứng thực hợp đồng, giao dịch",
                },
            ),
        ],
    ),
    Family(
        "CT",
        WARD,
        ward(2, check="Người thực hiện chứng thực kiểm tra, ký chứng thực"),
        "Hợp đồng, giao dịch được chứng thực",
        docs(
            ("Dự thảo hợp đồng, giao dịch hoặc văn bản cần chứng thực", ORIG, 1, True),
            ID,
            ("Giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản", COPY, 1, True),
        ),
        L_CT,
        [
            (
                4,
                "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở",
                {"fee": 50000, "fee_note": "50.000 đồng/hợp đồng, giao dịch"},
            ),
            (
                4,
                "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
                {"fee": 30000, "fee_note": "30.000 đồng/hợp đồng, giao dịch"},
            ),
            (
                4,
                "Sửa lỗi sai sót trong hợp đồng, giao dịch",
                {"fee": 25000, "fee_note": "25.000 đồng/hợp đồng, giao dịch"},
            ),
            (3, "Chứng thực di chúc", {"fee": 50000, "result": "Di chúc được chứng thực"}),
            (
                3,
                "Chứng thực văn bản từ chối nhận di sản",
                {"fee": 50000, "result": "Văn bản từ chối nhận di sản được chứng thực"},
            ),
            (
                3,
                "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở",
                {"fee": 50000, "result": "Văn bản thỏa thuận phân chia di sản được chứng thực"},
            ),
            (
                3,
                "Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở",
                {"fee": 50000, "result": "Văn bản khai nhận di sản được chứng thực"},
            ),
        ],
    ),
    # Chứng thực (city, Phòng Tư pháp)
    Family(
        "CT",
        CITY,
        dept("TP", 1, "Phòng Tư pháp kiểm tra, ký chứng thực"),
        "Giấy tờ, văn bản được chứng thực",
        docs(
            ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực", ORIG, 1, True),
            ("Bản sao, bản dịch cần chứng thực", COPY, 1, True),
        ),
        L_CT,
        [
            (
                4,
                "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của nước ngoài; cơ quan tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận",
                {
                    "fee": 2000,
                    "fee_note": "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản",
                },
            ),
            (
                4,
                "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của Phòng Tư pháp",
                {"fee": 10000, "fee_note": "10.000 đồng/trường hợp"},
            ),
            (
                4,
                "Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật",
                {
                    "fee": 10000,
                    "fee_note": "10.000 đồng/trường hợp",
                    "extra_docs": [
                        (
                            "Bằng cử nhân ngoại ngữ trở lên hoặc bằng tốt nghiệp đại học ở nước ngoài của người dịch",
                            COPY,
                            1,
                            True,
                        )
                    ],
                },
            ),
        ],
    ),
    # Nuôi con nuôi (ward)
    Family(
        "NCN",
        WARD,
        ward(30, check="Công chức tư pháp - hộ tịch lấy ý kiến, kiểm tra hồ sơ"),
        "Giấy chứng nhận nuôi con nuôi",
        docs(
            ("Đơn xin nhận con nuôi (theo mẫu)", ORIG, 1, True),
            ID,
            ("Phiếu lý lịch tư pháp của người nhận con nuôi", ORIG, 1, True),
            ("Văn bản xác nhận tình trạng hôn nhân của người nhận con nuôi", ORIG, 1, True),
            ("Giấy khám sức khỏe do cơ quan y tế cấp huyện trở lên cấp", ORIG, 1, True),
            ("Giấy khai sinh của người được nhận làm con nuôi", COPY, 1, True),
        ),
        L_NCN,
        [
            (
                4,
                "Đăng ký việc nuôi con nuôi trong nước",
                {"fee": 400000, "fee_note": "400.000 đồng/trường hợp"},
            ),
            (3, "Đăng ký lại việc nuôi con nuôi trong nước", {"days": 5, "fee_note": "Không thu lệ phí"}),
            (3, "Đăng ký việc nuôi con nuôi thực tế", {"days": 5, "fee_note": "Không thu lệ phí"}),
        ],
    ),
    # Hòa giải ở cơ sở (ward)
    Family(
        "HGCS",
        WARD,
        ward(3),
        "Quyết định của Chủ tịch UBND phường, xã",
        docs(
            ("Văn bản đề nghị (theo mẫu)", ORIG, 1, True),
            ("Biên bản bầu hòa giải viên hoặc văn bản liên quan", ORIG, 1, True),
        ),
        L_HG,
        [
            (2, "Công nhận hòa giải viên", {"result": "Quyết định công nhận hòa giải viên"}),
            (2, "Công nhận tổ trưởng tổ hòa giải", {"result": "Quyết định công nhận tổ trưởng tổ hòa giải"}),
            (2, "Thôi làm hòa giải viên", {"result": "Quyết định cho thôi làm hòa giải viên"}),
            (
                3,
                "Thanh toán thù lao cho hòa giải viên",
                {
                    "days": 5,
                    "result": "Quyết định chi thù lao cho hòa giải viên",
                    "docs": [
                        ("Giấy đề nghị thanh toán thù lao (theo mẫu)", ORIG, 1, True),
                        ("Văn bản xác nhận vụ, việc hòa giải của tổ trưởng tổ hòa giải", ORIG, 1, True),
                    ],
                },
            ),
            (
                3,
                "Hỗ trợ hòa giải viên gặp tai nạn hoặc rủi ro ảnh hưởng đến sức khỏe, tính mạng trong khi thực hiện hoạt động hòa giải",
                {
                    "days": 5,
                    "result": "Quyết định hỗ trợ hòa giải viên",
                    "docs": [
                        ("Giấy đề nghị hỗ trợ (theo mẫu)", ORIG, 1, True),
                        ("Giấy tờ chứng minh chi phí cứu chữa, điều trị", COPY, 1, True),
                        ("Biên bản xác nhận sự việc tai nạn, rủi ro", ORIG, 1, True),
                    ],
                },
            ),
        ],
    ),
    # Phổ biến, giáo dục pháp luật
    Family(
        "PBGDPL",
        WARD,
        ward(5),
        "Quyết định của Chủ tịch UBND phường, xã",
        docs(
            ("Văn bản đề nghị của trưởng khu phố, trưởng ấp (theo mẫu)", ORIG, 1, True),
            ("Bản tóm tắt thông tin về người được đề nghị", ORIG, 1, True),
        ),
        L_PB,
        [
            (
                3,
                "Công nhận tuyên truyền viên pháp luật",
                {"result": "Quyết định công nhận tuyên truyền viên pháp luật"},
            ),
            (
                3,
                "Cho thôi làm tuyên truyền viên pháp luật",
                {"days": 3, "result": "Quyết định cho thôi làm tuyên truyền viên pháp luật"},
            ),
        ],
    ),
    Family(
        "PBGDPL",
        CITY,
        city("TP", 20, sign=3, check="Hội đồng đánh giá tiếp cận pháp luật thẩm định"),
        "Quyết định công nhận đạt chuẩn tiếp cận pháp luật",
        docs(
            ("Văn bản đề nghị của UBND phường, xã (theo mẫu)", ORIG, 1, True),
            ("Báo cáo đánh giá kết quả thực hiện các chỉ tiêu tiếp cận pháp luật", ORIG, 1, True),
        ),
        L_PB,
        [(3, "Công nhận phường, xã đạt chuẩn tiếp cận pháp luật")],
    ),
    # Bồi thường nhà nước (city)
    Family(
        "BTNN",
        CITY,
        city("TP", 45, sign=5, check="Phòng Tư pháp xác minh thiệt hại, thương lượng"),
        "Quyết định giải quyết bồi thường",
        docs(
            ("Văn bản yêu cầu bồi thường (theo mẫu)", ORIG, 1, True),
            ("Văn bản làm căn cứ yêu cầu bồi thường", CERT, 1, True),
            ID,
            ("Tài liệu, chứng cứ có liên quan đến việc yêu cầu bồi thường", COPY, 1, False),
        ),
        L_BT,
        [
            (
                2,
                "Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại",
            ),
            (3, "Phục hồi danh dự", {"days": 10, "result": "Biên bản tổ chức xin lỗi, cải chính công khai"}),
        ],
    ),
    # Tiếp công dân, khiếu nại, tố cáo (city)
    Family(
        "KNTC",
        CITY,
        city("TTRA", 30, sign=5, check="Thanh tra thành phố xác minh, kết luận"),
        "Quyết định giải quyết khiếu nại",
        docs(
            ("Đơn khiếu nại hoặc bản ghi lời khiếu nại", ORIG, 1, True),
            ("Tài liệu, chứng cứ do người khiếu nại cung cấp", COPY, 1, False),
            ID,
        ),
        L_KN,
        [
            (2, "Giải quyết khiếu nại lần đầu"),
            (2, "Giải quyết khiếu nại lần hai", {"days": 45}),
            (
                2,
                "Giải quyết tố cáo",
                {
                    "legal": L_TC,
                    "result": "Kết luận nội dung tố cáo",
                    "docs": [
                        ("Đơn tố cáo hoặc văn bản ghi nội dung tố cáo", ORIG, 1, True),
                        ("Thông tin, tài liệu, chứng cứ kèm theo", COPY, 1, False),
                    ],
                },
            ),
            (
                2,
                "Tiếp công dân",
                {
                    "days": 1,
                    "chain": dept("TTRA", 1, "Ban Tiếp công dân tiếp, hướng dẫn, xử lý"),
                    "legal": L_TCD,
                    "result": "Phiếu hướng dẫn hoặc văn bản trả lời công dân",
                },
            ),
            (
                2,
                "Xử lý đơn thư",
                {
                    "days": 10,
                    "chain": dept("TTRA", 10, "Phân loại, xử lý đơn"),
                    "legal": L_TCD,
                    "result": "Phiếu chuyển đơn hoặc văn bản hướng dẫn",
                },
            ),
        ],
    ),
    Family(
        "PCTN",
        CITY,
        city("TTRA", 15, sign=2, check="Thu thập thông tin, chuẩn bị nội dung giải trình"),
        "Văn bản giải trình",
        docs(("Văn bản yêu cầu giải trình", ORIG, 1, True), ID),
        L_PCTN,
        [(3, "Thực hiện việc giải trình")],
    ),
    # Đất đai (city)
    Family(
        "DD",
        CITY,
        [
            ("Chi nhánh Văn phòng Đăng ký đất đai kiểm tra hồ sơ, đo đạc, trích lục", "CNVPDK", 15),
            ("Chi cục Thuế xác định nghĩa vụ tài chính", "CCTHUE", 5),
            ("Phòng Tài nguyên và Môi trường thẩm định, trình ký", "TNMT", 7),
            ("UBND thành phố ký Giấy chứng nhận", "UBND", 3),
        ],
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        docs(
            (
                "Đơn đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất (Mẫu số 04a/ĐK)",
                ORIG,
                1,
                True,
            ),
            ("Giấy tờ về quyền sử dụng đất theo Điều 100 Luật Đất đai (nếu có)", COPY, 1, False),
            (
                "Chứng từ thực hiện nghĩa vụ tài chính; giấy tờ liên quan đến miễn, giảm nghĩa vụ tài chính (nếu có)",
                COPY,
                1,
                False,
            ),
            ID,
        ),
        L_DD,
        [
            (
                3,
                "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
                {"fee": 100000, "fee_note": "Lệ phí cấp Giấy chứng nhận: 100.000 đồng/giấy"},
            ),
            (
                4,
                "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất cho người đã đăng ký quyền sử dụng đất lần đầu",
                {"fee": 100000, "days": 15},
            ),
            (
                4,
                "Đăng ký bổ sung tài sản gắn liền với đất vào Giấy chứng nhận đã cấp",
                {"fee": 50000, "days": 15, "extra_docs": [LAND_CERT]},
            ),
            (
                3,
                "Đăng ký đất đai lần đầu đối với trường hợp được Nhà nước giao đất để quản lý",
                {"days": 20, "result": "Sổ địa chính được cập nhật"},
            ),
            (
                4,
                "Cấp lại Giấy chứng nhận hoặc cấp lại Trang bổ sung của Giấy chứng nhận do bị mất",
                {
                    "fee": 50000,
                    "days": 10,
                    "extra_docs": [
                        (
                            "Giấy xác nhận của UBND cấp xã về việc đã niêm yết thông báo mất giấy",
                            ORIG,
                            1,
                            True,
                        )
                    ],
                },
            ),
            (
                3,
                "Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai do người sử dụng đất, chủ sở hữu tài sản gắn liền với đất phát hiện",
                {"days": 30, "result": "Quyết định thu hồi Giấy chứng nhận"},
            ),
            (
                3,
                "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề sau khi được cấp Giấy chứng nhận lần đầu và đăng ký thay đổi, chấm dứt quyền sử dụng hạn chế thửa đất liền kề",
                {
                    "fee": 50000,
                    "days": 10,
                    "extra_docs": [
                        LAND_CERT,
                        (
                            "Hợp đồng hoặc văn bản thỏa thuận về việc xác lập quyền sử dụng hạn chế thửa đất liền kề",
                            ORIG,
                            1,
                            True,
                        ),
                    ],
                },
            ),
        ],
    ),
    Family(
        "DD",
        CITY,
        [
            ("Chi nhánh Văn phòng Đăng ký đất đai kiểm tra, chỉnh lý hồ sơ địa chính", "CNVPDK", 7),
            ("Chi cục Thuế xác định nghĩa vụ tài chính", "CCTHUE", 3),
        ],
        "Giấy chứng nhận quyền sử dụng đất đã chỉnh lý biến động hoặc Giấy chứng nhận mới",
        docs(
            ("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 09/ĐK)", ORIG, 1, True),
            LAND_CERT,
            ("Hợp đồng, văn bản về việc chuyển quyền đã được công chứng hoặc chứng thực", ORIG, 1, True),
            ID,
        ),
        L_DD,
        [
            (
                4,
                "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp chuyển đổi, chuyển nhượng, cho thuê, cho thuê lại, thừa kế, tặng cho, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
                {"fee": 50000, "fee_note": "Lệ phí chỉnh lý biến động: 50.000 đồng/lần"},
            ),
            (
                4,
                "Đăng ký biến động về sử dụng đất, tài sản gắn liền với đất do thay đổi thông tin về người được cấp Giấy chứng nhận (đổi tên hoặc giấy tờ pháp nhân, giấy tờ nhân thân, địa chỉ)",
                {
                    "fee": 30000,
                    "days": 7,
                    "chain": dept(
                        "CNVPDK", 7, "Chi nhánh Văn phòng Đăng ký đất đai kiểm tra, chỉnh lý Giấy chứng nhận"
                    ),
                },
            ),
            (
                4,
                "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp giải quyết tranh chấp, khiếu nại, tố cáo về đất đai; xử lý nợ hợp đồng thế chấp, góp vốn; kê biên, đấu giá quyền sử dụng đất để thi hành án",
                {"fee": 50000},
            ),
            (
                4,
                "Đăng ký biến động đối với trường hợp chuyển từ hình thức thuê đất trả tiền hàng năm sang thuê đất trả tiền một lần cho cả thời gian thuê hoặc từ giao đất không thu tiền sử dụng đất sang hình thức thuê đất hoặc từ thuê đất sang giao đất có thu tiền sử dụng đất",
                {"fee": 50000, "days": 15},
            ),
            (
                4,
                "Đăng ký biến động về sử dụng đất, tài sản gắn liền với đất do thay đổi diện tích xây dựng, diện tích sử dụng, tầng cao, kết cấu, cấp (hạng) nhà hoặc công trình",
                {"fee": 30000},
            ),
            (
                4,
                "Đăng ký biến động về sử dụng đất do giảm diện tích thửa đất vì sạt lở tự nhiên",
                {
                    "fee": 30000,
                    "days": 10,
                    "chain": dept(
                        "CNVPDK", 10, "Chi nhánh Văn phòng Đăng ký đất đai đo đạc, chỉnh lý hồ sơ địa chính"
                    ),
                },
            ),
            (
                4,
                "Xóa ghi nợ tiền sử dụng đất, tiền thuê đất trên Giấy chứng nhận",
                {
                    "fee_note": "Không thu lệ phí",
                    "days": 3,
                    "chain": dept(
                        "CNVPDK",
                        3,
                        "Chi nhánh Văn phòng Đăng ký đất đai xác nhận xóa nợ trên Giấy chứng nhận",
                    ),
                },
            ),
            (
                4,
                "Đăng ký biến động đối với trường hợp hộ gia đình, cá nhân đưa quyền sử dụng đất vào doanh nghiệp",
                {"fee": 50000},
            ),
            (
                4,
                "Đăng ký chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền",
                {"fee": 50000, "days": 10},
            ),
            (
                4,
                "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
                {
                    "fee": 50000,
                    "days": 7,
                    "chain": dept(
                        "CNVPDK", 7, "Chi nhánh Văn phòng Đăng ký đất đai kiểm tra, in Giấy chứng nhận"
                    ),
                },
            ),
            (
                4,
                "Tách thửa hoặc hợp thửa đất",
                {
                    "fee": 50000,
                    "days": 15,
                    "chain": [
                        (
                            "Chi nhánh Văn phòng Đăng ký đất đai đo đạc, chỉnh lý bản đồ địa chính",
                            "CNVPDK",
                            12,
                        ),
                        ("Phòng Tài nguyên và Môi trường kiểm tra, trình ký", "TNMT", 3),
                    ],
                },
            ),
            (
                4,
                "Đính chính Giấy chứng nhận đã cấp",
                {
                    "fee": 0,
                    "fee_note": "Không thu lệ phí khi sai sót do cơ quan nhà nước",
                    "days": 10,
                    "chain": dept("CNVPDK", 10, "Chi nhánh Văn phòng Đăng ký đất đai kiểm tra, đính chính"),
                },
            ),
            (
                4,
                "Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
                {
                    "fee": 20000,
                    "days": 3,
                    "chain": dept("CNVPDK", 3, "Chi nhánh Văn phòng Đăng ký đất đai xóa đăng ký"),
                },
            ),
            (
                4,
                "Cung cấp dữ liệu đất đai",
                {
                    "fee": 30000,
                    "fee_note": "Phí khai thác và sử dụng tài liệu đất đai: 30.000 đồng/hồ sơ",
                    "days": 2,
                    "chain": dept(
                        "CNVPDK", 2, "Chi nhánh Văn phòng Đăng ký đất đai tra cứu, cung cấp dữ liệu"
                    ),
                    "result": "Văn bản cung cấp dữ liệu đất đai",
                    "docs": [("Phiếu yêu cầu cung cấp dữ liệu đất đai (Mẫu số 01/PYC)", ORIG, 1, True), ID],
                },
            ),
            (4, "Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân", {"fee": 50000}),
            (
                3,
                "Bán hoặc góp vốn bằng tài sản gắn liền với đất thuê của Nhà nước theo hình thức thuê đất trả tiền hàng năm",
                {
                    "fee": 50000,
                    "days": 30,
                    "chain": [
                        ("Phòng Tài nguyên và Môi trường thẩm định", "TNMT", 20),
                        ("Chi nhánh Văn phòng Đăng ký đất đai chỉnh lý hồ sơ", "CNVPDK", 7),
                        ("UBND thành phố ký hợp đồng thuê đất", "UBND", 3),
                    ],
                },
            ),
        ],
    ),
    Family(
        "DD",
        CITY,
        city("TNMT", 15, sign=3, check="Phòng Tài nguyên và Môi trường thẩm định, kiểm tra thực địa"),
        "Quyết định của UBND thành phố",
        docs(
            ("Đơn đề nghị (theo mẫu)", ORIG, 1, True),
            LAND_CERT,
            ("Trích lục bản đồ địa chính hoặc trích đo địa chính thửa đất", COPY, 1, False),
            ID,
        ),
        L_DD,
        [
            (
                3,
                "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
                {"fee": 50000, "result": "Quyết định cho phép chuyển mục đích sử dụng đất"},
            ),
            (
                3,
                "Giao đất, cho thuê đất cho hộ gia đình, cá nhân đối với trường hợp giao đất, cho thuê đất không thông qua hình thức đấu giá quyền sử dụng đất",
                {"days": 20, "result": "Quyết định giao đất, cho thuê đất"},
            ),
            (
                3,
                "Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất không thông qua hình thức đấu giá quyền sử dụng đất đối với hộ gia đình, cá nhân",
                {"days": 30, "result": "Văn bản thẩm định nhu cầu sử dụng đất"},
            ),
            (
                3,
                "Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế",
                {"days": 7, "result": "Quyết định gia hạn sử dụng đất"},
            ),
            (
                3,
                "Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất đối với trường hợp có nhu cầu",
                {"days": 5, "result": "Giấy chứng nhận được xác nhận tiếp tục sử dụng đất"},
            ),
            (
                2,
                "Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch UBND cấp huyện",
                {"days": 45, "result": "Quyết định giải quyết tranh chấp đất đai"},
            ),
        ],
    ),
    Family(
        "DD",
        WARD,
        ward(45, check="Tổ hòa giải tranh chấp đất đai thẩm tra, tổ chức hòa giải"),
        "Biên bản hòa giải thành hoặc không thành",
        docs(
            ("Đơn yêu cầu hòa giải tranh chấp đất đai", ORIG, 1, True),
            ("Giấy tờ có liên quan đến thửa đất tranh chấp", COPY, 1, False),
            ID,
        ),
        L_DD,
        [(2, "Hòa giải tranh chấp đất đai")],
    ),
    # Đăng ký biện pháp bảo đảm (city, Văn phòng Đăng ký đất đai)
    Family(
        "DKBD",
        CITY,
        dept("CNVPDK", 1, "Chi nhánh Văn phòng Đăng ký đất đai ghi nội dung đăng ký"),
        "Giấy chứng nhận có ghi nội dung đăng ký biện pháp bảo đảm",
        docs(
            ("Phiếu yêu cầu đăng ký (theo mẫu)", ORIG, 1, True),
            ("Hợp đồng thế chấp hoặc văn bản liên quan có công chứng, chứng thực", ORIG, 1, True),
            LAND_CERT,
        ),
        L_DKBD,
        [
            (
                4,
                "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
                {"fee": 80000, "fee_note": "80.000 đồng/hồ sơ"},
            ),
            (
                4,
                "Đăng ký thay đổi nội dung thế chấp quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký",
                {"fee": 60000},
            ),
            (4, "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", {"fee": 20000}),
            (
                4,
                "Đăng ký văn bản thông báo về việc xử lý tài sản thế chấp bằng quyền sử dụng đất, tài sản gắn liền với đất",
                {"fee": 30000},
            ),
            (
                4,
                "Chuyển tiếp đăng ký thế chấp quyền tài sản phát sinh từ hợp đồng mua bán nhà ở",
                {"fee": 30000},
            ),
            (
                4,
                "Đăng ký thế chấp dự án đầu tư xây dựng nhà ở, nhà ở hình thành trong tương lai",
                {"fee": 80000},
            ),
            (
                4,
                "Đăng ký thế chấp tài sản gắn liền với đất không phải là nhà ở mà tài sản đó đã hình thành nhưng chưa được chứng nhận quyền sở hữu trên Giấy chứng nhận",
                {"fee": 80000},
            ),
            (
                4,
                "Cung cấp thông tin về biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất",
                {
                    "fee": 30000,
                    "result": "Văn bản cung cấp thông tin về biện pháp bảo đảm",
                    "docs": [("Phiếu yêu cầu cung cấp thông tin (theo mẫu)", ORIG, 1, True), ID],
                },
            ),
            (
                4,
                "Sửa chữa sai sót nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký do lỗi của cơ quan đăng ký",
                {"fee_note": "Không thu lệ phí"},
            ),
        ],
    ),
    # Xây dựng (city)
    Family(
        "XD",
        CITY,
        city("QLDT", 15, sign=3, check="Phòng Quản lý đô thị thẩm định hồ sơ, kiểm tra thực địa"),
        "Giấy phép xây dựng",
        docs(
            (
                "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP)",
                ORIG,
                1,
                True,
            ),
            ("Giấy tờ hợp pháp về đất đai", COPY, 1, True),
            ("Bản vẽ thiết kế xây dựng: mặt bằng, mặt cắt, mặt đứng công trình", ORIG, 2, True),
            ("Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế (nếu có)", ORIG, 1, False),
        ),
        L_XD,
        [
            (
                4,
                "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
                {"fee": 75000, "fee_note": "75.000 đồng/giấy phép"},
            ),
            (
                4,
                "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ",
                {"fee": 75000, "fee_note": "75.000 đồng/giấy phép"},
            ),
            (4, "Cấp giấy phép di dời đối với nhà ở riêng lẻ", {"fee": 75000}),
            (4, "Điều chỉnh giấy phép xây dựng đối với nhà ở riêng lẻ", {"fee": 15000, "days": 10}),
            (
                4,
                "Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ",
                {"fee": 15000, "days": 5, "result": "Giấy phép xây dựng được gia hạn"},
            ),
            (4, "Cấp lại giấy phép xây dựng đối với nhà ở riêng lẻ", {"fee": 15000, "days": 5}),
            (4, "Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ", {"fee": 75000}),
            (
                3,
                "Cấp giấy phép xây dựng mới đối với công trình không theo tuyến",
                {"fee": 150000, "days": 20},
            ),
            (
                3,
                "Cấp giấy phép xây dựng mới đối với công trình theo tuyến trong đô thị",
                {"fee": 150000, "days": 20},
            ),
            (
                3,
                "Cấp giấy phép xây dựng mới đối với công trình tín ngưỡng, tôn giáo",
                {"fee": 150000, "days": 20},
            ),
            (3, "Cấp giấy phép xây dựng mới đối với công trình quảng cáo", {"fee": 150000, "days": 20}),
            (3, "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình", {"fee": 150000, "days": 20}),
            (3, "Cấp giấy phép di dời đối với công trình", {"fee": 150000, "days": 20}),
            (4, "Điều chỉnh giấy phép xây dựng đối với công trình", {"fee": 15000, "days": 20}),
            (4, "Gia hạn giấy phép xây dựng đối với công trình", {"fee": 15000, "days": 5}),
            (4, "Cấp lại giấy phép xây dựng đối với công trình", {"fee": 15000, "days": 5}),
            (3, "Cấp giấy phép xây dựng có thời hạn đối với công trình", {"fee": 150000, "days": 20}),
        ],
    ),
    Family(
        "XD",
        CITY,
        city("QLDT", 20, sign=3, check="Phòng Quản lý đô thị thẩm định"),
        "Văn bản thông báo kết quả thẩm định",
        docs(
            ("Tờ trình thẩm định (theo mẫu)", ORIG, 1, True),
            ("Hồ sơ thiết kế, dự toán xây dựng", ORIG, 1, True),
            ("Văn bản phê duyệt chủ trương đầu tư hoặc quyết định đầu tư", COPY, 1, True),
        ),
        L_XD,
        [
            (
                3,
                "Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng hoặc điều chỉnh Báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
            ),
            (
                3,
                "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở hoặc điều chỉnh thiết kế xây dựng triển khai sau thiết kế cơ sở",
            ),
            (
                3,
                "Kiểm tra công tác nghiệm thu hoàn thành công trình xây dựng",
                {"result": "Văn bản chấp thuận kết quả nghiệm thu"},
            ),
        ],
    ),
    Family(
        "QHXD",
        CITY,
        city("QLDT", 15, sign=2, check="Phòng Quản lý đô thị tra cứu, thẩm định"),
        "Văn bản của UBND thành phố",
        docs(("Văn bản đề nghị (theo mẫu)", ORIG, 1, True), ("Sơ đồ vị trí khu đất", COPY, 1, True)),
        L_QH,
        [
            (
                4,
                "Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của UBND cấp huyện",
                {"days": 10, "fee_note": "Không thu phí", "result": "Văn bản cung cấp thông tin quy hoạch"},
            ),
            (
                3,
                "Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của UBND cấp huyện",
                {"days": 20, "result": "Quyết định phê duyệt nhiệm vụ quy hoạch"},
            ),
            (
                3,
                "Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của UBND cấp huyện",
                {"days": 25, "result": "Quyết định phê duyệt đồ án quy hoạch chi tiết"},
            ),
            (
                4,
                "Cấp giấy phép quy hoạch dự án đầu tư xây dựng công trình thuộc thẩm quyền của UBND cấp huyện",
                {"days": 30, "fee": 2000000, "result": "Giấy phép quy hoạch"},
            ),
        ],
    ),
    Family(
        "HTKT",
        CITY,
        dept("QLDT", 7, "Phòng Quản lý đô thị kiểm tra hiện trạng, cấp phép"),
        "Giấy phép của Phòng Quản lý đô thị",
        docs(("Đơn đề nghị (theo mẫu)", ORIG, 1, True), ("Sơ đồ vị trí, hiện trạng", COPY, 1, True), ID),
        L_CAYXANH,
        [
            (
                3,
                "Cấp giấy phép chặt hạ, dịch chuyển cây xanh đô thị",
                {"result": "Giấy phép chặt hạ, dịch chuyển cây xanh"},
            ),
            (
                4,
                "Cấp giấy chứng nhận số nhà",
                {
                    "fee": 30000,
                    "fee_note": "30.000 đồng/giấy chứng nhận",
                    "legal": L_SONHA,
                    "result": "Giấy chứng nhận số nhà",
                    "docs": [
                        ("Đơn đề nghị cấp số nhà (theo mẫu)", ORIG, 1, True),
                        ("Giấy tờ về quyền sử dụng đất, quyền sở hữu nhà ở", COPY, 1, True),
                    ],
                },
            ),
            (
                4,
                "Cấp lại giấy chứng nhận số nhà",
                {
                    "days": 3,
                    "fee": 30000,
                    "legal": L_SONHA,
                    "result": "Giấy chứng nhận số nhà",
                    "docs": [
                        ("Đơn đề nghị cấp lại số nhà (theo mẫu)", ORIG, 1, True),
                        ("Giấy chứng nhận số nhà đã cấp (nếu còn)", ORIG, 1, False),
                    ],
                },
            ),
            (
                4,
                "Cấp phép sử dụng tạm thời một phần hè phố không vào mục đích giao thông",
                {
                    "days": 5,
                    "fee": 50000,
                    "fee_note": "Phí sử dụng tạm thời hè phố theo diện tích và thời gian",
                    "legal": L_HEPHO,
                    "result": "Giấy phép sử dụng tạm thời hè phố",
                },
            ),
            (
                4,
                "Cấp phép sử dụng tạm thời hè phố để tổ chức việc cưới, việc tang",
                {"days": 1, "fee": 20000, "legal": L_HEPHO, "result": "Giấy phép sử dụng tạm thời hè phố"},
            ),
            (
                4,
                "Cấp phép đào đường, hè phố để thi công lắp đặt công trình hạ tầng kỹ thuật ngầm",
                {"fee": 50000, "legal": L_HEPHO, "result": "Giấy phép thi công"},
            ),
            (
                4,
                "Gia hạn giấy phép đào đường, hè phố để thi công lắp đặt công trình hạ tầng kỹ thuật ngầm",
                {"fee": 20000, "days": 3, "legal": L_HEPHO, "result": "Giấy phép thi công được gia hạn"},
            ),
            (
                4,
                "Cấp phép sử dụng tạm thời một phần lòng đường để trung chuyển vật liệu xây dựng",
                {
                    "fee": 50000,
                    "days": 3,
                    "legal": L_HEPHO,
                    "result": "Giấy phép sử dụng tạm thời lòng đường",
                },
            ),
            (
                4,
                "Gia hạn giấy phép sử dụng tạm thời một phần hè phố không vào mục đích giao thông",
                {
                    "fee": 20000,
                    "days": 3,
                    "legal": L_HEPHO,
                    "result": "Giấy phép sử dụng tạm thời hè phố được gia hạn",
                },
            ),
            (
                3,
                "Thỏa thuận đấu nối vào hệ thống thoát nước đô thị",
                {"days": 10, "legal": L_THOATNUOC, "result": "Văn bản thỏa thuận đấu nối thoát nước"},
            ),
        ],
    ),
    Family(
        "NO",
        CITY,
        city("QLDT", 30, sign=5, check="Phòng Quản lý đô thị xét duyệt hồ sơ"),
        "Quyết định cho thuê nhà ở công vụ",
        docs(
            ("Đơn đề nghị thuê nhà ở công vụ (theo mẫu)", ORIG, 1, True),
            ("Quyết định bổ nhiệm, điều động, luân chuyển công tác", COPY, 1, True),
            ("Giấy xác nhận về thực trạng nhà ở", ORIG, 1, True),
        ),
        L_NO,
        [(3, "Cho thuê nhà ở công vụ thuộc thẩm quyền quản lý của UBND cấp huyện")],
    ),
    # Hộ kinh doanh (city, Phòng Tài chính - Kế hoạch)
    Family(
        "HKD",
        CITY,
        dept("TCKH", 3, "Phòng Tài chính - Kế hoạch xem xét, cấp Giấy chứng nhận"),
        "Giấy chứng nhận đăng ký hộ kinh doanh",
        docs(
            ("Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1 Thông tư 01/2021/TT-BKHĐT)", ORIG, 1, True),
            ID,
            (
                "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (trường hợp các thành viên hộ gia đình đăng ký)",
                ORIG,
                1,
                False,
            ),
            (
                "Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
                CERT,
                1,
                False,
            ),
        ),
        L_HKD,
        [
            (4, "Đăng ký thành lập hộ kinh doanh", {"fee": 100000, "fee_note": "100.000 đồng/lần đăng ký"}),
            (
                4,
                "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
                {"fee": 50000, "fee_note": "50.000 đồng/lần thay đổi"},
            ),
            (
                4,
                "Tạm ngừng hoạt động hộ kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
                {
                    "fee_note": "Không thu lệ phí",
                    "result": "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh",
                },
            ),
            (
                4,
                "Chấm dứt hoạt động hộ kinh doanh",
                {
                    "fee_note": "Không thu lệ phí",
                    "result": "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
                },
            ),
            (4, "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", {"fee": 50000}),
        ],
    ),
    Family(
        "HTX",
        CITY,
        dept("TCKH", 5, "Phòng Tài chính - Kế hoạch xem xét, cấp Giấy chứng nhận"),
        "Giấy chứng nhận đăng ký hợp tác xã",
        docs(
            ("Giấy đề nghị đăng ký hợp tác xã (theo mẫu)", ORIG, 1, True),
            ("Điều lệ hợp tác xã", ORIG, 1, True),
            ("Phương án sản xuất, kinh doanh", ORIG, 1, True),
            ("Danh sách thành viên, danh sách hội đồng quản trị, giám đốc, ban kiểm soát", ORIG, 1, True),
            ("Nghị quyết hội nghị thành lập", ORIG, 1, True),
        ),
        L_HTX,
        [
            (4, "Đăng ký thành lập hợp tác xã", {"fee": 100000}),
            (
                4,
                "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
                {
                    "fee": 100000,
                    "result": "Giấy chứng nhận đăng ký chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
                },
            ),
            (
                4,
                "Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh, vốn điều lệ, người đại diện theo pháp luật của hợp tác xã",
                {"fee": 100000},
            ),
            (4, "Đăng ký khi hợp tác xã chia", {"fee": 100000}),
            (4, "Đăng ký khi hợp tác xã tách", {"fee": 100000}),
            (4, "Đăng ký khi hợp tác xã hợp nhất", {"fee": 100000}),
            (4, "Đăng ký khi hợp tác xã sáp nhập", {"fee": 100000}),
            (
                4,
                "Cấp lại giấy chứng nhận đăng ký hợp tác xã, giấy chứng nhận đăng ký chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
                {"fee": 50000},
            ),
            (
                4,
                "Thông báo thay đổi nội dung đăng ký hợp tác xã",
                {
                    "fee_note": "Không thu lệ phí",
                    "result": "Giấy xác nhận về việc thay đổi nội dung đăng ký hợp tác xã",
                },
            ),
            (
                4,
                "Tạm ngừng hoạt động của hợp tác xã, chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
                {"fee_note": "Không thu lệ phí", "result": "Giấy xác nhận về việc tạm ngừng hoạt động"},
            ),
            (
                4,
                "Chấm dứt hoạt động của chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
                {"fee_note": "Không thu lệ phí", "result": "Thông báo về việc chấm dứt hoạt động"},
            ),
            (3, "Giải thể tự nguyện hợp tác xã", {"result": "Thông báo về việc giải thể hợp tác xã"}),
            (
                3,
                "Thay đổi cơ quan đăng ký hợp tác xã",
                {"result": "Giấy chứng nhận đăng ký hợp tác xã (cơ quan đăng ký mới)"},
            ),
        ],
    ),
    Family(
        "THT",
        WARD,
        ward(3),
        "Sổ theo dõi tổ hợp tác được cập nhật",
        docs(
            ("Thông báo (theo mẫu Nghị định 77/2019/NĐ-CP)", ORIG, 1, True),
            ("Hợp đồng hợp tác", COPY, 1, True),
        ),
        L_THT,
        [
            (4, "Thông báo thành lập tổ hợp tác", {"fee_note": "Không thu lệ phí"}),
            (4, "Thông báo thay đổi tổ hợp tác", {"fee_note": "Không thu lệ phí"}),
            (4, "Thông báo chấm dứt hoạt động của tổ hợp tác", {"fee_note": "Không thu lệ phí"}),
        ],
    ),
    # Lưu thông hàng hóa (city, Phòng Kinh tế)
    Family(
        "LTHH",
        CITY,
        city("KT", 10, sign=2, check="Phòng Kinh tế thẩm định, kiểm tra điều kiện kinh doanh"),
        "Giấy phép bán lẻ rượu",
        docs(
            ("Đơn đề nghị cấp giấy phép (theo mẫu)", ORIG, 1, True),
            ("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", COPY, 1, True),
            ("Hợp đồng mua bán với thương nhân sản xuất, phân phối", COPY, 1, True),
        ),
        L_RUOU,
        [
            *license_set("Giấy phép bán lẻ rượu", levels=(4, 4, 4), gia_han=False),
            *[
                (4, n, {"result": "Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh"})
                for _l, n in license_set(
                    "Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", gia_han=False
                )
            ],
            *[
                (4, n, {"legal": L_THUOCLA, "result": "Giấy phép bán lẻ sản phẩm thuốc lá"})
                for _l, n in license_set("Giấy phép bán lẻ sản phẩm thuốc lá", gia_han=False)
            ],
        ],
        fee=1200000,
        fee_note="Phí thẩm định kinh doanh hàng hóa có điều kiện: 1.200.000 đồng/điểm kinh doanh",
    ),
    # An toàn thực phẩm
    Family(
        "ATTP",
        CITY,
        city("YT", 20, sign=3, check="Phòng Y tế thẩm định hồ sơ, thẩm định thực tế tại cơ sở"),
        "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        docs(
            (
                "Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (theo mẫu)",
                ORIG,
                1,
                True,
            ),
            (
                "Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ bảo đảm điều kiện vệ sinh an toàn thực phẩm",
                ORIG,
                1,
                True,
            ),
            (
                "Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất, kinh doanh thực phẩm",
                COPY,
                1,
                True,
            ),
            ("Giấy xác nhận đã được tập huấn kiến thức an toàn thực phẩm", COPY, 1, True),
        ),
        L_ATTP,
        [
            (
                4,
                "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
                {"fee": 700000, "fee_note": "Phí thẩm định: 700.000 đồng/lần (phục vụ dưới 200 suất ăn)"},
            ),
            (
                4,
                "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
                {"fee": 700000},
            ),
            (
                4,
                "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nông, lâm, thủy sản",
                {
                    "fee": 500000,
                    "chain": city("KT", 15, sign=2, check="Phòng Kinh tế thẩm định, kiểm tra thực tế"),
                },
            ),
            (
                4,
                "Cấp Giấy xác nhận kiến thức về an toàn thực phẩm",
                {
                    "fee": 30000,
                    "fee_note": "30.000 đồng/lần/người",
                    "days": 5,
                    "chain": dept("YT", 5, "Phòng Y tế tổ chức kiểm tra, cấp giấy xác nhận"),
                    "result": "Giấy xác nhận kiến thức về an toàn thực phẩm",
                    "docs": [
                        ("Đơn đề nghị xác nhận kiến thức về an toàn thực phẩm (theo mẫu)", ORIG, 1, True),
                        ("Danh sách người được xác nhận kiến thức", ORIG, 1, True),
                    ],
                },
            ),
        ],
    ),
    # Nông nghiệp, phòng chống thiên tai
    Family(
        "NN",
        WARD,
        ward_to_city(
            5, "KT", 5, 5, "UBND phường, xã kiểm tra, tổng hợp thiệt hại", "Phòng Kinh tế thẩm định"
        ),
        "Quyết định hỗ trợ của UBND thành phố",
        docs(
            ("Đơn đề nghị hỗ trợ (theo mẫu)", ORIG, 1, True),
            ("Biên bản kiểm tra, xác định thiệt hại", ORIG, 1, True),
        ),
        L_THIENTAI,
        [
            (3, "Hỗ trợ khôi phục sản xuất nông nghiệp vùng bị thiệt hại do thiên tai"),
            (3, "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh động vật"),
            (3, "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh thực vật"),
        ],
    ),
    Family(
        "NN",
        WARD,
        ward(1, check="Công chức địa chính - nông nghiệp tiếp nhận, cập nhật"),
        "Cơ sở dữ liệu chăn nuôi được cập nhật",
        docs(("Mẫu kê khai hoạt động chăn nuôi (Phụ lục V Nghị định 13/2020/NĐ-CP)", ORIG, 1, True)),
        L_CHANNUOI,
        [(4, "Kê khai hoạt động chăn nuôi", {"fee_note": "Không thu phí"})],
    ),
    Family(
        "NN",
        CITY,
        city("KT", 15, sign=3, check="Phòng Kinh tế thẩm định"),
        "Quyết định phê duyệt của UBND thành phố",
        docs(("Văn bản đề nghị (theo mẫu)", ORIG, 1, True), ("Kế hoạch hoặc dự án chi tiết", ORIG, 1, True)),
        L_KHUYENNONG,
        [
            (3, "Phê duyệt kế hoạch khuyến nông địa phương"),
            (
                3,
                "Hỗ trợ dự án liên kết trong sản xuất và tiêu thụ sản phẩm nông nghiệp",
                {"legal": L_LIENKET, "days": 30},
            ),
        ],
    ),
    Family(
        "PCTT",
        WARD,
        ward(5),
        "Quyết định phê duyệt phương án ứng phó thiên tai",
        docs(
            ("Tờ trình đề nghị phê duyệt phương án (theo mẫu)", ORIG, 1, True),
            ("Phương án ứng phó thiên tai cho công trình, vùng hạ du", ORIG, 1, True),
        ),
        L_PCTT,
        [
            (
                3,
                "Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình, vùng hạ du đập trong quá trình thi công thuộc thẩm quyền của UBND cấp xã",
            )
        ],
    ),
    # Đường thủy nội địa (city, Phòng Quản lý đô thị)
    Family(
        "DTND",
        CITY,
        dept("QLDT", 3, "Phòng Quản lý đô thị kiểm tra, cấp Giấy chứng nhận đăng ký phương tiện"),
        "Giấy chứng nhận đăng ký phương tiện thủy nội địa",
        docs(
            ("Đơn đề nghị đăng ký phương tiện thủy nội địa (theo mẫu)", ORIG, 1, True),
            ("Giấy tờ chứng minh quyền sở hữu phương tiện", ORIG, 1, True),
            ("Biên lai nộp lệ phí trước bạ (đối với phương tiện phải nộp)", COPY, 1, False),
            ("Ảnh chụp phương tiện kích thước 10 x 15 cm", ORIG, 2, True),
        ),
        L_THUYNOIDIA,
        [
            (
                4,
                "Đăng ký phương tiện lần đầu đối với phương tiện chưa khai thác trên đường thủy nội địa",
                {"fee": 70000, "fee_note": "70.000 đồng/giấy chứng nhận"},
            ),
            (
                4,
                "Đăng ký phương tiện lần đầu đối với phương tiện đang khai thác trên đường thủy nội địa",
                {"fee": 70000},
            ),
            (
                4,
                "Đăng ký lại phương tiện trong trường hợp chuyển từ cơ quan đăng ký khác sang cơ quan đăng ký phương tiện thủy nội địa",
                {"fee": 70000},
            ),
            (
                4,
                "Đăng ký lại phương tiện trong trường hợp phương tiện thay đổi tên, tính năng kỹ thuật",
                {"fee": 70000},
            ),
            (
                4,
                "Đăng ký lại phương tiện trong trường hợp chuyển quyền sở hữu phương tiện nhưng không thay đổi cơ quan đăng ký phương tiện",
                {"fee": 70000},
            ),
            (
                4,
                "Đăng ký lại phương tiện trong trường hợp chủ phương tiện thay đổi trụ sở hoặc nơi đăng ký thường trú sang đơn vị hành chính cấp tỉnh khác",
                {"fee": 70000},
            ),
            (4, "Cấp lại Giấy chứng nhận đăng ký phương tiện", {"fee": 70000}),
            (
                4,
                "Xóa Giấy chứng nhận đăng ký phương tiện",
                {"fee_note": "Không thu lệ phí", "result": "Giấy chứng nhận xóa đăng ký phương tiện"},
            ),
        ],
    ),
    Family(
        "DB",
        CITY,
        dept("QLDT", 7, "Phòng Quản lý đô thị thẩm định, cấp phép"),
        "Giấy phép thi công",
        docs(
            ("Đơn đề nghị cấp phép thi công (theo mẫu)", ORIG, 1, True),
            ("Hồ sơ thiết kế bản vẽ thi công đã được phê duyệt", COPY, 1, True),
            ("Phương án tổ chức thi công bảo đảm an toàn giao thông", ORIG, 1, True),
        ),
        L_DUONGBO,
        [
            (
                3,
                "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã",
                {"result": "Văn bản chấp thuận"},
            ),
            (
                4,
                "Cấp phép thi công xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã",
                {"fee": 50000},
            ),
            (
                3,
                "Gia hạn chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã",
                {"days": 3, "result": "Văn bản gia hạn chấp thuận"},
            ),
            (
                4,
                "Cấp phép thi công xây dựng biển quảng cáo tạm thời trong phạm vi hành lang an toàn đường bộ của đường huyện, đường xã",
                {"fee": 50000},
            ),
            (4, "Cấp phép thi công nút giao đấu nối vào đường huyện, đường xã", {"fee": 50000}),
        ],
    ),
    # Lao động - Thương binh và Xã hội
    Family(
        "LDTBXH",
        CITY,
        city("LDTBXH", 10, sign=2, check="Phòng Lao động - Thương binh và Xã hội thẩm định"),
        "Quyết định hỗ trợ của UBND thành phố",
        docs(
            ("Giấy đề nghị hỗ trợ (theo mẫu)", ORIG, 1, True),
            ID,
            ("Giấy tờ chứng minh thuộc đối tượng được hỗ trợ", COPY, 1, True),
        ),
        L_GDNN,
        [
            (3, "Hỗ trợ đào tạo trình độ sơ cấp hoặc đào tạo dưới 03 tháng"),
            (
                3,
                "Hỗ trợ cho người lao động thuộc đối tượng là người dân tộc thiểu số, người thuộc hộ nghèo, hộ cận nghèo, thân nhân người có công đi làm việc ở nước ngoài theo hợp đồng",
            ),
        ],
    ),
    Family(
        "LDTBXH",
        CITY,
        city(
            "LDTBXH",
            15,
            sign=3,
            check="Phòng Lao động - Thương binh và Xã hội thẩm định hồ sơ, kiểm tra cơ sở",
        ),
        "Giấy chứng nhận, giấy phép của cơ sở trợ giúp xã hội",
        docs(
            ("Tờ khai đăng ký thành lập (theo mẫu)", ORIG, 1, True),
            ("Dự thảo quy chế hoạt động của cơ sở", ORIG, 1, True),
            ("Giấy tờ chứng minh cơ sở vật chất, nhân sự", COPY, 1, True),
        ),
        L_CSTG,
        [
            (
                3,
                "Đăng ký thành lập, đăng ký thay đổi nội dung hoặc cấp lại giấy chứng nhận đăng ký thành lập đối với cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội",
            ),
            (
                3,
                "Cấp, cấp lại, điều chỉnh giấy phép hoạt động đối với cơ sở trợ giúp xã hội có giấy phép hoạt động do Phòng Lao động - Thương binh và Xã hội cấp",
            ),
            (
                3,
                "Giải thể cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội",
                {"result": "Quyết định giải thể cơ sở trợ giúp xã hội"},
            ),
            (
                3,
                "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn",
                {"days": 10},
            ),
        ],
    ),
    # Bảo trợ xã hội (ward → Phòng LĐTBXH → city)
    Family(
        "BTXH",
        WARD,
        ward_to_city(
            7,
            "LDTBXH",
            7,
            3,
            "Hội đồng xét duyệt phường, xã xét duyệt, niêm yết công khai",
            "Phòng Lao động - Thương binh và Xã hội thẩm định",
        ),
        "Quyết định của Chủ tịch UBND thành phố",
        docs(
            ("Tờ khai đề nghị trợ giúp xã hội (theo mẫu Nghị định 20/2021/NĐ-CP)", ORIG, 1, True),
            ID,
            ("Giấy tờ chứng minh thuộc đối tượng bảo trợ xã hội", COPY, 1, True),
        ),
        L_BTXH,
        [
            (
                3,
                "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng",
                {"result": "Quyết định hưởng, điều chỉnh hoặc thôi hưởng trợ cấp xã hội hàng tháng"},
            ),
            (
                3,
                "Chi trả trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng khi đối tượng thay đổi nơi cư trú giữa các quận, huyện, thị xã, thành phố thuộc tỉnh, trong và ngoài tỉnh",
                {"days": 10},
            ),
            (3, "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", {"days": 10}),
            (3, "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", {"days": 7}),
            (
                3,
                "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí điều trị người bị thương nặng ngoài nơi cư trú mà không có người thân thích chăm sóc",
                {"days": 7},
            ),
            (
                3,
                "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp tỉnh, cấp huyện",
                {"result": "Quyết định tiếp nhận vào cơ sở trợ giúp xã hội"},
            ),
            (
                3,
                "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
                {"days": 5, "result": "Quyết định tiếp nhận đối tượng cần bảo vệ khẩn cấp"},
            ),
            (
                3,
                "Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội cấp tỉnh, cấp huyện",
                {"days": 10, "result": "Quyết định dừng trợ giúp xã hội"},
            ),
        ],
    ),
    Family(
        "BTXH",
        WARD,
        ward(25, check="Hội đồng xác định mức độ khuyết tật khám, đánh giá"),
        "Giấy xác nhận khuyết tật",
        docs(
            ("Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)", ORIG, 1, True),
            (
                "Giấy tờ liên quan đến khuyết tật (bệnh án, giấy khám sức khỏe, biên bản giám định)",
                COPY,
                1,
                False,
            ),
            ID,
        ),
        L_NKT,
        [
            (3, "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật"),
            (3, "Đổi, cấp lại Giấy xác nhận khuyết tật", {"days": 5}),
        ],
    ),
    Family(
        "BTXH",
        WARD,
        ward(15, check="Ban chỉ đạo giảm nghèo phường, xã rà soát, niêm yết"),
        "Giấy chứng nhận hộ nghèo, hộ cận nghèo hoặc quyết định công nhận",
        docs(("Giấy đề nghị (theo mẫu Nghị định 07/2021/NĐ-CP)", ORIG, 1, True), ID),
        L_NGHEO,
        [
            (3, "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm"),
            (3, "Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm"),
            (
                3,
                "Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình giai đoạn 2022 - 2025",
            ),
        ],
    ),
    # Người có công (ward → Phòng LĐTBXH)
    Family(
        "NCC",
        WARD,
        [
            ("UBND phường, xã xác nhận, lập danh sách", None, 5),
            ("Phòng Lao động - Thương binh và Xã hội thẩm định, giải quyết", "LDTBXH", 12),
        ],
        "Quyết định giải quyết chế độ ưu đãi",
        docs(
            ("Đơn đề nghị (theo mẫu Nghị định 131/2021/NĐ-CP)", ORIG, 1, True),
            ID,
            ("Giấy tờ chứng minh quan hệ với người có công", COPY, 1, True),
        ),
        L_NCC,
        [
            (3, "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ"),
            (
                3,
                "Giải quyết chế độ ưu đãi đối với trường hợp tặng hoặc truy tặng danh hiệu vinh dự nhà nước “Bà mẹ Việt Nam anh hùng”",
            ),
            (
                3,
                "Giải quyết chế độ trợ cấp một lần đối với thân nhân người hoạt động kháng chiến được tặng huân chương, huy chương chết trước ngày 01 tháng 01 năm 1995 mà chưa được hưởng chế độ ưu đãi",
            ),
            (3, "Giải quyết trợ cấp tuất hằng tháng khi người có công từ trần"),
            (3, "Hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần"),
            (
                3,
                "Giải quyết chế độ ưu đãi đối với con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học",
            ),
            (
                3,
                "Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình; đi điều trị phục hồi chức năng",
            ),
            (
                3,
                "Giải quyết chế độ ưu đãi trong giáo dục đào tạo đối với người có công với cách mạng và con của họ",
            ),
            (
                3,
                "Sửa đổi, bổ sung thông tin cá nhân trong hồ sơ người có công",
                {"result": "Quyết định sửa đổi thông tin trong hồ sơ người có công"},
            ),
            (
                3,
                "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
                {
                    "days": 5,
                    "chain": [
                        ("UBND phường, xã xác nhận đơn", None, 2),
                        ("Phòng Lao động - Thương binh và Xã hội cấp giấy giới thiệu", "LDTBXH", 3),
                    ],
                    "result": "Giấy giới thiệu thăm viếng mộ liệt sĩ",
                },
            ),
            (3, "Hỗ trợ di chuyển hài cốt liệt sĩ", {"days": 10}),
            (
                3,
                "Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ; đơn đề nghị thăm viếng mộ liệt sĩ",
                {"days": 5, "chain": ward(5), "result": "Đơn được UBND phường, xã xác nhận"},
            ),
            (
                3,
                "Cấp trích lục hoặc sao hồ sơ người có công với cách mạng",
                {"days": 5, "result": "Bản trích lục hồ sơ người có công"},
            ),
        ],
    ),
    # Trẻ em (ward)
    Family(
        "TE",
        WARD,
        ward(7, check="Công chức lao động - thương binh và xã hội đánh giá, lập kế hoạch"),
        "Quyết định của Chủ tịch UBND phường, xã",
        docs(
            ("Đơn đề nghị (theo mẫu Nghị định 56/2017/NĐ-CP)", ORIG, 1, True),
            ID,
            ("Giấy khai sinh của trẻ em", COPY, 1, True),
        ),
        L_TE,
        [
            (
                3,
                "Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em",
                {"days": 1},
            ),
            (3, "Chấm dứt việc chăm sóc thay thế cho trẻ em", {"days": 5}),
            (
                3,
                "Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế không phải là người thân thích của trẻ em",
                {"days": 25},
            ),
            (
                3,
                "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi và trẻ em có hoàn cảnh đặc biệt",
            ),
            (
                3,
                "Thông báo nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế là người thân thích của trẻ em",
                {"days": 5},
            ),
            (
                3,
                "Chuyển trẻ em đang được chăm sóc thay thế tại cơ sở trợ giúp xã hội đến cá nhân, gia đình nhận chăm sóc thay thế",
                {"days": 10},
            ),
        ],
    ),
    Family(
        "PCTNXH",
        WARD,
        ward(3),
        "Quyết định của Chủ tịch UBND phường, xã",
        docs(("Đơn đề nghị (theo mẫu)", ORIG, 1, True), ID),
        L_MATUY,
        [
            (
                3,
                "Đăng ký cai nghiện ma túy tự nguyện",
                {"result": "Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình, cộng đồng"},
            ),
            (
                3,
                "Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán",
                {"days": 10, "legal": L_MBN, "result": "Quyết định hỗ trợ nạn nhân"},
            ),
        ],
    ),
    # Văn hóa (city, Phòng Văn hóa và Thông tin)
    Family(
        "VH",
        CITY,
        dept("VHTT", 5, "Phòng Văn hóa và Thông tin thẩm định, kiểm tra thực tế"),
        "Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        docs(
            (
                "Đơn đề nghị cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (Mẫu số 01 Nghị định 54/2019/NĐ-CP)",
                ORIG,
                1,
                True,
            ),
            ("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", COPY, 1, True),
            ("Văn bản nghiệm thu về phòng cháy và chữa cháy", COPY, 1, True),
        ),
        L_KARAOKE,
        [
            (
                4,
                "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
                {"fee": 4000000, "fee_note": "Phí thẩm định: 4.000.000 đồng/giấy phép (từ 01 đến 03 phòng)"},
            ),
            (
                4,
                "Cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
                {"fee": 2000000, "fee_note": "2.000.000 đồng/phòng tăng thêm"},
            ),
        ],
    ),
    Family(
        "VH",
        CITY,
        dept("VHTT", 5, "Phòng Văn hóa và Thông tin xem xét, trả lời"),
        "Văn bản chấp thuận của UBND thành phố",
        docs(
            ("Văn bản đề nghị hoặc thông báo (theo mẫu)", ORIG, 1, True),
            ("Kế hoạch, chương trình tổ chức", ORIG, 1, True),
        ),
        L_LEHOI,
        [
            (
                3,
                "Đăng ký tổ chức lễ hội cấp huyện",
                {"days": 15, "chain": city("VHTT", 15, sign=3, check="Phòng Văn hóa và Thông tin thẩm định")},
            ),
            (3, "Thông báo tổ chức lễ hội cấp huyện", {"result": "Văn bản xác nhận đã nhận thông báo"}),
        ],
    ),
    Family(
        "VH",
        WARD,
        ward(5, check="Công chức văn hóa - xã hội xem xét"),
        "Văn bản của UBND phường, xã",
        docs(
            ("Văn bản đăng ký hoặc thông báo (theo mẫu)", ORIG, 1, True), ("Kế hoạch tổ chức", ORIG, 1, True)
        ),
        L_LEHOI,
        [
            (3, "Đăng ký tổ chức lễ hội cấp xã", {"result": "Văn bản chấp thuận tổ chức lễ hội"}),
            (
                3,
                "Thông báo tổ chức lễ hội cấp xã",
                {"days": 2, "result": "Văn bản xác nhận đã nhận thông báo"},
            ),
            (
                3,
                "Xét tặng danh hiệu “Gia đình văn hóa” hằng năm",
                {
                    "legal": L_DHVH,
                    "result": "Quyết định công nhận và Giấy công nhận “Gia đình văn hóa”",
                    "docs": [
                        ("Bản đăng ký tham gia xây dựng danh hiệu “Gia đình văn hóa”", ORIG, 1, True),
                        ("Biên bản họp bình xét của khu phố, ấp", ORIG, 1, True),
                    ],
                },
            ),
            (
                3,
                "Xét tặng Giấy khen “Gia đình văn hóa”",
                {
                    "legal": L_DHVH,
                    "result": "Giấy khen “Gia đình văn hóa”",
                    "docs": [
                        ("Báo cáo thành tích (theo mẫu)", ORIG, 1, True),
                        ("Biên bản họp bình xét của khu phố, ấp", ORIG, 1, True),
                    ],
                },
            ),
        ],
    ),
    Family(
        "VH",
        CITY,
        city("VHTT", 15, sign=3, check="Phòng Văn hóa và Thông tin thẩm định, kiểm tra thực tế"),
        "Quyết định công nhận của Chủ tịch UBND thành phố",
        docs(
            ("Báo cáo thành tích xây dựng đời sống văn hóa (theo mẫu)", ORIG, 1, True),
            ("Tờ trình đề nghị công nhận", ORIG, 1, True),
        ),
        L_CQVH,
        [
            (3, "Xét tặng danh hiệu “Khu phố văn hóa”, “Ấp văn hóa”", {"legal": L_DHVH}),
            (3, "Xét tặng Giấy khen “Khu phố văn hóa”, “Ấp văn hóa”", {"legal": L_DHVH}),
            (
                3,
                "Công nhận lần đầu “Cơ quan đạt chuẩn văn hóa”, “Đơn vị đạt chuẩn văn hóa”, “Doanh nghiệp đạt chuẩn văn hóa”",
            ),
            (
                3,
                "Công nhận lại “Cơ quan đạt chuẩn văn hóa”, “Đơn vị đạt chuẩn văn hóa”, “Doanh nghiệp đạt chuẩn văn hóa”",
            ),
            (3, "Công nhận lần đầu “Phường đạt chuẩn văn minh đô thị”", {"legal": L_NTM}),
            (3, "Công nhận lại “Phường đạt chuẩn văn minh đô thị”", {"legal": L_NTM}),
            (3, "Công nhận lần đầu “Xã đạt chuẩn văn hóa nông thôn mới”", {"legal": L_NTM}),
            (3, "Công nhận lại “Xã đạt chuẩn văn hóa nông thôn mới”", {"legal": L_NTM}),
        ],
    ),
    Family(
        "TV",
        WARD,
        ward(3, check="Công chức văn hóa - xã hội kiểm tra, cập nhật"),
        "Văn bản xác nhận của UBND phường, xã",
        docs(
            ("Thông báo (theo mẫu Nghị định 93/2020/NĐ-CP)", ORIG, 1, True),
            ("Quy chế tổ chức và hoạt động của thư viện", ORIG, 1, False),
        ),
        L_TV,
        [
            (4, "Thông báo thành lập thư viện đối với thư viện cộng đồng", {"fee_note": "Không thu phí"}),
            (
                4,
                "Thông báo sáp nhập, hợp nhất, chia, tách thư viện đối với thư viện cộng đồng",
                {"fee_note": "Không thu phí"},
            ),
            (4, "Thông báo chấm dứt hoạt động thư viện cộng đồng", {"fee_note": "Không thu phí"}),
        ],
    ),
    Family(
        "TV",
        CITY,
        dept("VHTT", 5, "Phòng Văn hóa và Thông tin kiểm tra, xác nhận"),
        "Văn bản xác nhận của Phòng Văn hóa và Thông tin",
        docs(
            ("Thông báo (theo mẫu Nghị định 93/2020/NĐ-CP)", ORIG, 1, True),
            ("Quy chế tổ chức và hoạt động của thư viện", ORIG, 1, True),
        ),
        L_TV,
        [
            (
                4,
                "Thông báo thành lập đối với thư viện thuộc cơ sở giáo dục mầm non, cơ sở giáo dục phổ thông, cơ sở giáo dục nghề nghiệp và cơ sở giáo dục khác ngoài công lập và thư viện tư nhân có phục vụ cộng đồng",
                {"fee_note": "Không thu phí"},
            ),
            (
                4,
                "Thông báo chấm dứt hoạt động đối với thư viện thuộc cơ sở giáo dục ngoài công lập và thư viện tư nhân có phục vụ cộng đồng",
                {"fee_note": "Không thu phí"},
            ),
        ],
    ),
    Family(
        "TDTT",
        WARD,
        ward(7, check="Công chức văn hóa - xã hội thẩm định"),
        "Quyết định công nhận câu lạc bộ thể thao cơ sở",
        docs(
            ("Đơn đề nghị công nhận câu lạc bộ (theo mẫu)", ORIG, 1, True),
            ("Danh sách ban chủ nhiệm, hội viên", ORIG, 1, True),
            ("Quy chế hoạt động của câu lạc bộ", ORIG, 1, True),
        ),
        L_TDTT,
        [(3, "Công nhận câu lạc bộ thể thao cơ sở")],
    ),
    Family(
        "GD",
        CITY,
        dept("VHTT", 10, "Phòng Văn hóa và Thông tin thẩm định, cấp giấy chứng nhận"),
        "Giấy chứng nhận đăng ký hoạt động",
        docs(
            ("Đơn đăng ký hoạt động (theo mẫu)", ORIG, 1, True),
            ("Danh sách người làm việc tại cơ sở", ORIG, 1, True),
            ("Giấy tờ chứng minh trụ sở, cơ sở vật chất", COPY, 1, True),
        ),
        L_BLGD,
        [
            (3, "Đăng ký hoạt động đối với cơ sở hỗ trợ nạn nhân bạo lực gia đình"),
            (3, "Đăng ký hoạt động đối với cơ sở tư vấn về phòng, chống bạo lực gia đình"),
            (
                3,
                "Đăng ký thay đổi nội dung hoặc cấp lại Giấy chứng nhận đăng ký hoạt động của cơ sở hỗ trợ nạn nhân bạo lực gia đình",
                {"days": 7},
            ),
            (
                3,
                "Đăng ký thay đổi nội dung hoặc cấp lại Giấy chứng nhận đăng ký hoạt động của cơ sở tư vấn về phòng, chống bạo lực gia đình",
                {"days": 7},
            ),
        ],
    ),
    Family(
        "TTDT",
        CITY,
        dept("VHTT", 10, "Phòng Văn hóa và Thông tin thẩm định, kiểm tra thực tế"),
        "Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        docs(
            ("Đơn đề nghị (Mẫu số 01 Thông tư 24/2014/TT-BTTTT)", ORIG, 1, True),
            (
                "Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh có ngành nghề kinh doanh trò chơi điện tử",
                COPY,
                1,
                True,
            ),
            ID,
        ),
        L_GAME,
        [
            (
                4,
                "Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                {"fee": 200000, "fee_note": "Phí thẩm định: 200.000 đồng/điểm (từ 50 máy trở xuống)"},
            ),
            (
                4,
                "Sửa đổi, bổ sung Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                {"fee": 100000, "days": 5},
            ),
            (
                4,
                "Gia hạn Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                {"fee": 100000, "days": 5},
            ),
            (
                4,
                "Cấp lại Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                {"fee": 100000, "days": 5},
            ),
        ],
    ),
    # Giáo dục (city, Phòng Giáo dục và Đào tạo)
    Family(
        "GDDT",
        CITY,
        city("GDDT", 20, sign=5, check="Phòng Giáo dục và Đào tạo thẩm định, kiểm tra thực tế"),
        "Quyết định của Chủ tịch UBND thành phố",
        docs(
            ("Tờ trình đề nghị (theo mẫu)", ORIG, 1, True),
            ("Đề án thành lập trường", ORIG, 1, True),
            ("Văn bản xác nhận về quyền sử dụng đất hoặc hợp đồng thuê cơ sở vật chất", COPY, 1, True),
        ),
        L_GD,
        [
            (
                3,
                "Thành lập trường mẫu giáo, trường mầm non, nhà trẻ công lập hoặc cho phép thành lập trường mẫu giáo, trường mầm non, nhà trẻ dân lập, tư thục",
                {"result": "Quyết định thành lập hoặc cho phép thành lập"},
            ),
            (
                3,
                "Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục",
                {
                    "chain": dept("GDDT", 20, "Phòng Giáo dục và Đào tạo thẩm định, quyết định"),
                    "result": "Quyết định cho phép hoạt động giáo dục",
                },
            ),
            (3, "Sáp nhập, chia, tách trường mẫu giáo, trường mầm non, nhà trẻ"),
            (
                3,
                "Giải thể trường mẫu giáo, trường mầm non, nhà trẻ (theo đề nghị của cá nhân, tổ chức thành lập trường)",
                {"result": "Quyết định giải thể"},
            ),
            (
                3,
                "Chuyển đổi nhà trẻ, trường mẫu giáo, trường mầm non tư thục do nhà đầu tư trong nước đầu tư sang nhà trẻ, trường mẫu giáo, trường mầm non tư thục hoạt động không vì lợi nhuận",
            ),
            (
                3,
                "Thành lập trường tiểu học công lập, cho phép thành lập trường tiểu học tư thục",
                {"result": "Quyết định thành lập hoặc cho phép thành lập"},
            ),
            (
                3,
                "Cho phép trường tiểu học hoạt động giáo dục",
                {
                    "chain": dept("GDDT", 20, "Phòng Giáo dục và Đào tạo thẩm định, quyết định"),
                    "result": "Quyết định cho phép hoạt động giáo dục",
                },
            ),
            (3, "Sáp nhập, chia, tách trường tiểu học"),
            (
                3,
                "Giải thể trường tiểu học (theo đề nghị của tổ chức, cá nhân đề nghị thành lập trường tiểu học)",
                {"result": "Quyết định giải thể"},
            ),
            (
                3,
                "Thành lập trường trung học cơ sở công lập hoặc cho phép thành lập trường trung học cơ sở tư thục",
                {"result": "Quyết định thành lập hoặc cho phép thành lập"},
            ),
            (
                3,
                "Cho phép trường trung học cơ sở hoạt động giáo dục",
                {
                    "chain": dept("GDDT", 20, "Phòng Giáo dục và Đào tạo thẩm định, quyết định"),
                    "result": "Quyết định cho phép hoạt động giáo dục",
                },
            ),
            (3, "Sáp nhập, chia, tách trường trung học cơ sở"),
            (
                3,
                "Giải thể trường trung học cơ sở (theo đề nghị của cá nhân, tổ chức thành lập trường)",
                {"result": "Quyết định giải thể"},
            ),
        ],
    ),
    Family(
        "GDDT",
        WARD,
        ward(15, check="Công chức văn hóa - xã hội thẩm định, kiểm tra thực tế"),
        "Quyết định của Chủ tịch UBND phường, xã",
        docs(
            ("Tờ trình đề nghị (theo mẫu)", ORIG, 1, True),
            ("Văn bản chứng minh cơ sở vật chất, đội ngũ giáo viên", COPY, 1, True),
        ),
        L_MN,
        [
            (3, "Thành lập nhóm trẻ, lớp mẫu giáo độc lập"),
            (3, "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", {"days": 20}),
            (3, "Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập"),
            (
                3,
                "Giải thể nhóm trẻ, lớp mẫu giáo độc lập (theo yêu cầu của tổ chức, cá nhân đề nghị thành lập)",
                {"days": 10},
            ),
        ],
    ),
    Family(
        "GDDT",
        CITY,
        dept("GDDT", 5, "Phòng Giáo dục và Đào tạo xem xét, giải quyết"),
        "Văn bản của Phòng Giáo dục và Đào tạo",
        docs(("Đơn đề nghị (theo mẫu)", ORIG, 1, True), ID),
        L_GD,
        [
            (
                4,
                "Chuyển trường đối với học sinh trung học cơ sở",
                {
                    "days": 3,
                    "legal": L_CHUYENTRUONG,
                    "fee_note": "Không thu phí",
                    "result": "Giấy giới thiệu chuyển trường",
                    "extra_docs": [("Học bạ (bản chính)", ORIG, 1, True)],
                },
            ),
            (
                4,
                "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
                {
                    "legal": L_VANBANG,
                    "fee": 3000,
                    "fee_note": "3.000 đồng/bản sao",
                    "result": "Bản sao bằng tốt nghiệp trung học cơ sở",
                },
            ),
            (
                3,
                "Chỉnh sửa nội dung văn bằng, chứng chỉ",
                {
                    "legal": L_VANBANG,
                    "result": "Quyết định chỉnh sửa văn bằng",
                    "extra_docs": [
                        ("Văn bằng, chứng chỉ đề nghị chỉnh sửa", ORIG, 1, True),
                        ("Giấy khai sinh hoặc quyết định thay đổi, cải chính hộ tịch", COPY, 1, True),
                    ],
                },
            ),
            (
                3,
                "Cấp giấy phép, gia hạn giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học cơ sở",
                {"days": 10, "legal": L_DAYTHEM, "result": "Giấy phép tổ chức hoạt động dạy thêm, học thêm"},
            ),
            (
                3,
                "Phê duyệt việc dạy và học bằng tiếng nước ngoài",
                {"days": 20, "legal": L_NGOAINGU, "result": "Quyết định phê duyệt"},
            ),
            (
                3,
                "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo",
                {"days": 10, "legal": L_MN, "result": "Quyết định phê duyệt danh sách hỗ trợ"},
            ),
            (
                3,
                "Trợ cấp đối với trẻ em mầm non là con công nhân, người lao động làm việc tại khu công nghiệp",
                {"days": 10, "legal": L_MN, "result": "Quyết định phê duyệt danh sách trợ cấp"},
            ),
            (
                3,
                "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
                {
                    "days": 15,
                    "legal": L_PCGD,
                    "chain": city("GDDT", 15, sign=3, check="Đoàn kiểm tra phổ cập giáo dục kiểm tra"),
                    "result": "Quyết định công nhận đạt chuẩn phổ cập giáo dục, xóa mù chữ",
                },
            ),
        ],
    ),
    # Dân số (ward)
    Family(
        "DS",
        WARD,
        ward(5, check="Cộng tác viên dân số, công chức văn hóa - xã hội xác minh"),
        "Quyết định hỗ trợ của Chủ tịch UBND phường, xã",
        docs(
            ("Đơn đề nghị hưởng chính sách hỗ trợ (theo mẫu)", ORIG, 1, True),
            ID,
            ("Giấy khai sinh của con", COPY, 1, True),
        ),
        L_DANSO,
        [(3, "Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số")],
    ),
    # Môi trường
    Family(
        "MT",
        CITY,
        city("TNMT", 15, sign=3, check="Phòng Tài nguyên và Môi trường thẩm định, kiểm tra thực tế"),
        "Giấy phép môi trường",
        docs(
            ("Văn bản đề nghị cấp giấy phép môi trường (theo mẫu)", ORIG, 1, True),
            ("Báo cáo đề xuất cấp giấy phép môi trường", ORIG, 1, True),
            ("Bản sao báo cáo nghiên cứu khả thi hoặc tài liệu tương đương của dự án", COPY, 1, False),
        ),
        L_MOITRUONG,
        [
            (
                3,
                "Cấp giấy phép môi trường (cấp huyện)",
                {"fee": 1500000, "fee_note": "Phí thẩm định theo nghị quyết của HĐND tỉnh"},
            ),
            (3, "Cấp đổi giấy phép môi trường (cấp huyện)", {"days": 10}),
            (3, "Cấp điều chỉnh giấy phép môi trường (cấp huyện)", {"days": 10}),
            (4, "Cấp lại giấy phép môi trường (cấp huyện)", {"fee": 1500000}),
        ],
    ),
    Family(
        "MT",
        WARD,
        ward(2, check="Công chức địa chính - môi trường tiếp nhận, kiểm tra"),
        "Văn bản của UBND phường, xã",
        docs(("Phiếu đăng ký môi trường hoặc văn bản đề nghị (theo mẫu)", ORIG, 1, True)),
        L_MOITRUONG,
        [
            (
                4,
                "Đăng ký môi trường (cấp xã)",
                {"fee_note": "Không thu phí", "result": "Xác nhận tiếp nhận đăng ký môi trường"},
            ),
            (
                3,
                "Tham vấn trong đánh giá tác động môi trường",
                {"days": 15, "result": "Văn bản trả lời ý kiến tham vấn"},
            ),
        ],
    ),
    Family(
        "TNN",
        CITY,
        dept("TNMT", 10, "Phòng Tài nguyên và Môi trường kiểm tra, xác nhận"),
        "Văn bản của Phòng Tài nguyên và Môi trường",
        docs(("Tờ khai đăng ký khai thác nước dưới đất (theo mẫu)", ORIG, 1, True), ID),
        L_NUOC,
        [
            (
                4,
                "Đăng ký khai thác nước dưới đất",
                {"fee_note": "Không thu phí", "result": "Tờ khai đăng ký được xác nhận"},
            ),
            (
                3,
                "Lấy ý kiến Ủy ban nhân dân cấp xã, cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh",
                {"days": 20, "result": "Văn bản góp ý của UBND thành phố"},
            ),
        ],
    ),
    # Thi đua khen thưởng
    Family(
        "TDKT",
        CITY,
        city("NV", 20, sign=5, check="Phòng Nội vụ thẩm định, trình Hội đồng Thi đua - Khen thưởng"),
        "Quyết định khen thưởng của Chủ tịch UBND thành phố",
        docs(
            ("Tờ trình đề nghị khen thưởng (theo mẫu)", ORIG, 1, True),
            ("Báo cáo thành tích của cá nhân, tập thể", ORIG, 1, True),
            ("Biên bản họp xét của Hội đồng Thi đua - Khen thưởng cơ sở", ORIG, 1, True),
        ),
        L_TDKT,
        [
            (3, "Tặng danh hiệu Lao động tiên tiến"),
            (3, "Tặng danh hiệu Chiến sĩ thi đua cơ sở"),
            (3, "Tặng danh hiệu Tập thể lao động tiên tiến"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp huyện về thành tích thực hiện nhiệm vụ chính trị"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp huyện về thành tích thi đua theo đợt hoặc chuyên đề"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp huyện về thành tích đột xuất", {"days": 10}),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp huyện cho gia đình"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp huyện về thành tích đối ngoại"),
        ],
    ),
    Family(
        "TDKT",
        WARD,
        ward(20, check="Hội đồng Thi đua - Khen thưởng phường, xã xét"),
        "Quyết định khen thưởng của Chủ tịch UBND phường, xã",
        docs(
            ("Tờ trình đề nghị khen thưởng (theo mẫu)", ORIG, 1, True),
            ("Báo cáo thành tích của cá nhân, tập thể, hộ gia đình", ORIG, 1, True),
        ),
        L_TDKT,
        [
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp xã về thành tích thực hiện nhiệm vụ chính trị"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp xã về thành tích thi đua theo đợt hoặc chuyên đề"),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp xã về thành tích đột xuất", {"days": 5}),
            (3, "Tặng Giấy khen của Chủ tịch UBND cấp xã cho gia đình"),
        ],
    ),
    # Tôn giáo
    Family(
        "TG",
        WARD,
        ward(20, check="Công chức văn hóa - xã hội xem xét, lấy ý kiến"),
        "Văn bản của UBND phường, xã",
        docs(
            ("Văn bản đề nghị hoặc thông báo (theo mẫu Nghị định 162/2017/NĐ-CP)", ORIG, 1, True),
            ("Danh mục hoặc nội dung hoạt động dự kiến", ORIG, 1, True),
        ),
        L_TG,
        [
            (
                2,
                "Đăng ký sinh hoạt tôn giáo tập trung",
                {"result": "Văn bản chấp thuận đăng ký sinh hoạt tôn giáo tập trung"},
            ),
            (
                2,
                "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã",
                {"days": 5, "result": "Văn bản xác nhận đã nhận thông báo"},
            ),
            (
                3,
                "Đăng ký hoạt động tín ngưỡng",
                {"days": 15, "result": "Văn bản chấp thuận đăng ký hoạt động tín ngưỡng"},
            ),
            (3, "Đăng ký bổ sung hoạt động tín ngưỡng", {"days": 15}),
            (
                3,
                "Thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã",
                {"days": 5},
            ),
            (3, "Đăng ký thay đổi người đại diện của nhóm sinh hoạt tôn giáo tập trung"),
            (3, "Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung trong địa bàn một xã"),
            (3, "Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác"),
            (3, "Thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung", {"days": 5}),
            (
                3,
                "Thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc",
                {"days": 5},
            ),
        ],
    ),
    Family(
        "TG",
        CITY,
        city("DTOC", 20, sign=3, check="Phòng Dân tộc - Tôn giáo thẩm định"),
        "Văn bản của UBND thành phố",
        docs(
            ("Văn bản đề nghị hoặc thông báo (theo mẫu Nghị định 162/2017/NĐ-CP)", ORIG, 1, True),
            ("Chương trình, nội dung hoạt động dự kiến", ORIG, 1, True),
        ),
        L_TG,
        [
            (
                3,
                "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một huyện",
                {"days": 10},
            ),
            (
                3,
                "Thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một huyện",
                {"days": 10},
            ),
            (
                3,
                "Thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc có địa bàn hoạt động ở một huyện",
                {"days": 10},
            ),
            (
                3,
                "Đề nghị tổ chức đại hội của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc, tổ chức được cấp chứng nhận đăng ký hoạt động tôn giáo có địa bàn hoạt động ở một huyện",
                {"days": 30},
            ),
            (
                3,
                "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện",
                {"days": 15},
            ),
            (
                3,
                "Đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện",
                {"days": 15},
            ),
            (
                3,
                "Thông báo tổ chức quyên góp ngoài địa bàn một xã nhưng trong địa bàn một huyện của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc",
                {"days": 10},
            ),
        ],
    ),
    # Hội, quỹ (city, Phòng Nội vụ)
    Family(
        "TCPCP",
        CITY,
        city("NV", 30, sign=5, check="Phòng Nội vụ thẩm định, lấy ý kiến cơ quan liên quan"),
        "Quyết định của Chủ tịch UBND thành phố",
        docs(
            ("Đơn đề nghị (theo mẫu)", ORIG, 1, True),
            ("Dự thảo điều lệ hoặc điều lệ sửa đổi", ORIG, 1, True),
            ("Danh sách và lý lịch trích ngang của người đứng đầu", ORIG, 1, True),
        ),
        L_HOI,
        [
            (3, "Công nhận ban vận động thành lập hội", {"days": 30}),
            (3, "Thành lập hội"),
            (3, "Phê duyệt điều lệ hội"),
            (3, "Chia, tách; sáp nhập; hợp nhất hội"),
            (3, "Đổi tên hội"),
            (3, "Hội tự giải thể"),
            (3, "Báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội", {"days": 15}),
            (3, "Cấp giấy phép thành lập và công nhận điều lệ quỹ", {"legal": L_QUY}),
            (
                3,
                "Công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên hội đồng quản lý quỹ",
                {"legal": L_QUY, "days": 15},
            ),
            (
                3,
                "Thay đổi giấy phép thành lập và công nhận điều lệ (sửa đổi, bổ sung) quỹ",
                {"legal": L_QUY, "days": 15},
            ),
            (3, "Quỹ tự giải thể", {"legal": L_QUY, "days": 15}),
        ],
    ),
]

EXPECTED = {2: 13, 3: 182, 4: 146}

DESCRIPTION = {
    WARD: (
        "Nộp hồ sơ tại Bộ phận Tiếp nhận và Trả kết quả của UBND phường, xã nơi cư trú{online}. "
        "Công chức một cửa kiểm tra hồ sơ: hồ sơ đầy đủ được cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả; "
        "hồ sơ chưa đầy đủ được hướng dẫn bổ sung một lần, đầy đủ. Hồ sơ được chuyển xử lý theo các bước "
        "bên dưới; kết quả trả tại nơi nộp{return_online}."
    ),
    CITY: (
        "Nộp hồ sơ tại Bộ phận Tiếp nhận và Trả kết quả của UBND thành phố{online}. "
        "Hồ sơ đầy đủ được cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả và được chuyển đến cơ quan chuyên "
        "môn trong ngày làm việc (nhận sau 15 giờ thì chuyển vào đầu ngày làm việc tiếp theo). Kết quả trả "
        "tại Bộ phận Tiếp nhận và Trả kết quả{return_online}."
    ),
}


def _description(scope: str, level: int) -> str:
    online = (
        " hoặc nộp trực tuyến trên Cổng dịch vụ công"
        if level >= 3
        else " hoặc qua dịch vụ bưu chính công ích"
    )
    return_online = ", qua dịch vụ bưu chính hoặc trực tuyến" if level == 4 else ""
    return DESCRIPTION[scope].format(online=online, return_online=return_online)


def _code(name: str, prefix: str, taken: set[str]) -> str:
    """A national-style code (``1.00xxxx``) derived from the name, stable across runs."""
    number = 1000 + int(hashlib.sha1(name.encode()).hexdigest(), 16) % 9000
    while True:
        code = f"{prefix}.{number:06d}"
        if code not in taken:
            return code
        number = 1000 + (number - 999) % 9000


def services() -> list[Spec]:
    """Every demo service, in catalogue order, with the codes assigned."""
    fixed = {v[2]["code"] for f in FAMILIES for v in f.variants if len(v) > 2 and "code" in v[2]}
    taken = set(fixed)
    specs = []
    for index, family in enumerate(FAMILIES):
        for variant in family.variants:
            level, name, opts = variant[0], variant[1], (variant[2] if len(variant) > 2 else {})
            chain = opts.get("chain", family.chain)
            if "days" in opts:
                chain = with_days(chain, opts["days"])
            code = opts.get("code") or _code(name, "2" if index % 5 == 4 else "1", taken)
            taken.add(code)
            specs.append(
                Spec(
                    code=code,
                    name=name,
                    sector=family.sector,
                    level=level,
                    scope=family.scope,
                    chain=chain,
                    result=opts.get("result", family.result),
                    documents=[*opts.get("docs", family.documents), *opts.get("extra_docs", [])],
                    legal=opts.get("legal", family.legal),
                    fee=opts.get("fee", family.fee),
                    fee_note=opts.get("fee_note", family.fee_note),
                    description=_description(family.scope, level),
                )
            )
    return specs


def counts(specs: list[Spec]) -> dict[int, int]:
    out = {2: 0, 3: 0, 4: 0}
    for spec in specs:
        out[spec.level] += 1
    return out
