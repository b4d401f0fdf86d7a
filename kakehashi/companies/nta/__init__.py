"""The National Tax Agency corporate-number bulk import (法人番号公表サイト 全件・差分ファイル)."""
