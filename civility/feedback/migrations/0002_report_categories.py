"""The report categories every deployment starts with (Open311 services); coordinators may
add, rename or deactivate them. Drawn from the public-place code (Decision 1665/QĐ-UBND)."""

from django.db import migrations

CATEGORIES = [
    ("littering", "Xả rác, vứt rác bừa bãi", "Littering",
     "Vứt rác, đổ phế thải nơi công cộng", "Dropping litter or waste in public places"),
    ("queue_jumping", "Chen lấn, xô đẩy, không xếp hàng", "Queue jumping, pushing",
     "Chen hàng, xô đẩy tại nhà ga, bến xe, điểm tham quan",
     "Jumping queues or pushing at stations and sights"),
    ("overcharging", "Nói thách, chặt chém, không niêm yết giá", "Overcharging, unlisted prices",
     "Bán quá giá, không niêm yết giá tại chợ, điểm du lịch",
     "Overcharging or prices not displayed at markets or tourist sites"),
    ("soliciting", "Đeo bám, chèo kéo khách", "Soliciting, harassing visitors",
     "Chèo kéo, đeo bám khách du lịch, người mua hàng", "Pestering tourists or shoppers"),
    ("disorder", "Gây mất trật tự tại di tích, lễ hội", "Disorder at a relic site or festival",
     "Chen lấn, tranh cướp lộc, ăn mặc phản cảm tại di tích, lễ hội",
     "Scrambling, grabbing offerings, inappropriate dress at relic sites and festivals"),
    ("noise_fighting", "Gây ồn ào, cãi chửi, đánh nhau", "Noise, swearing, fighting",
     "Gây ồn, nói tục, chửi thề, gây gổ nơi công cộng", "Loud, abusive or violent behaviour"),
    ("smoking_spitting", "Hút thuốc, khạc nhổ, tiểu tiện nơi công cộng",
     "Smoking, spitting, urinating in public", "", ""),
    ("encroachment", "Lấn chiếm vỉa hè, lòng đường", "Encroaching on pavements and roads",
     "Chiếm dụng không gian công cộng làm việc riêng", "Using public space for private purposes"),
    ("vandalism", "Phá hoại cây xanh, cảnh quan, vẽ bậy", "Damage to trees, landscape, graffiti",
     "", ""),
    ("other", "Hành vi khác trái Quy tắc ứng xử", "Other behaviour against the code", "", ""),
]


def add(apps, schema_editor):
    ReportCategory = apps.get_model("feedback", "ReportCategory")
    for position, (code, name, name_en, description, description_en) in enumerate(CATEGORIES):
        ReportCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "description_en": description_en,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
