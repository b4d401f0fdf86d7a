"""Default region groups. The prefecture may rename them and move municipalities between them.

Yamagata: the four 地域 (総合支庁) areas. Miyagi: the seven 広域圏 of the prefecture; Sendai's
wards go with Sendai. Members are listed by name and resolved within the prefecture.
"""

# prefecture code → [(region code, name, member names)]
REGIONS: dict[str, list[tuple[str, str, list[str]]]] = {
    "06": [
        (
            "murayama",
            "村山",
            [
                "山形市",
                "寒河江市",
                "上山市",
                "村山市",
                "天童市",
                "東根市",
                "尾花沢市",
                "山辺町",
                "中山町",
                "河北町",
                "西川町",
                "朝日町",
                "大江町",
                "大石田町",
            ],
        ),
        ("mogami", "最上", ["新庄市", "金山町", "最上町", "舟形町", "真室川町", "大蔵村", "鮭川村", "戸沢村"]),
        ("okitama", "置賜", ["米沢市", "長井市", "南陽市", "高畠町", "川西町", "小国町", "白鷹町", "飯豊町"]),
        ("shonai", "庄内", ["鶴岡市", "酒田市", "三川町", "庄内町", "遊佐町"]),
    ],
    "04": [
        (
            "sendai",
            "仙台",
            [
                "仙台市",
                "仙台市青葉区",
                "仙台市宮城野区",
                "仙台市若林区",
                "仙台市太白区",
                "仙台市泉区",
                "塩竈市",
                "名取市",
                "多賀城市",
                "岩沼市",
                "富谷市",
                "亘理町",
                "山元町",
                "松島町",
                "七ヶ浜町",
                "利府町",
                "大和町",
                "大郷町",
                "大衡村",
            ],
        ),
        (
            "sennan",
            "仙南",
            ["白石市", "角田市", "蔵王町", "七ヶ宿町", "大河原町", "村田町", "柴田町", "川崎町", "丸森町"],
        ),
        ("osaki", "大崎", ["大崎市", "色麻町", "加美町", "涌谷町", "美里町"]),
        ("kurihara", "栗原", ["栗原市"]),
        ("tome", "登米", ["登米市"]),
        ("ishinomaki", "石巻", ["石巻市", "東松島市", "女川町"]),
        ("kesennuma_motoyoshi", "気仙沼・本吉", ["気仙沼市", "南三陸町"]),
    ],
}
