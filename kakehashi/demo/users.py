"""The demo accounts `seed_demo` creates and `make run` prints. Local demo only."""

from kakehashi.accounts.choices import Role

DEMO_PASSWORD = "kakehashi-demo"  # noqa: S105 — printed on purpose for the local demo

# (username, display name, organisation, roles)
DEMO_USERS = [
    ("pref", "県 産業政策課 山田 花子", "山形県 産業労働部", [Role.PREFECTURE]),
    ("manager", "事業責任者 佐藤 一郎", "株式会社みらいDXパートナーズ（受託者）", [Role.MANAGER]),
    *[
        (f"comm{i}", f"コミュニケータ {name}", "株式会社みらいDXパートナーズ（受託者）", [Role.COMMUNICATOR])
        for i, name in enumerate(["鈴木 健太", "高橋 美咲", "伊藤 翔", "渡辺 彩", "小林 大輔", "加藤 由美"], start=1)
    ],
    ("coord1", "コーディネータ 斎藤 誠", "公益財団法人やまがた産業支援機構", [Role.COORDINATOR]),
    ("coord2", "コーディネータ 松本 恵", "公益財団法人やまがた産業支援機構", [Role.COORDINATOR]),
    ("partner", "工業技術センター 井上 聡", "山形県工業技術センター", [Role.PARTNER]),
    ("company", "山形精密 担当 木村 亮", "株式会社山形精密（架空）", [Role.COMPANY_MEMBER]),
    ("itco", "ITベンダー 林 千尋", "最上ソフトウェア合同会社（架空）", [Role.IT_COMPANY_MEMBER]),
]
