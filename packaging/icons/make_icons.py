"""Draws the app icon (a document with a check mark, in the app's blue) and writes .png/.ico/.icns.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/icons/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
SIZE = 1024


def draw() -> QImage:
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5fbf"))
    p.drawRoundedRect(QRectF(64, 64, SIZE - 128, SIZE - 128), 180, 180)
    # The page, with a folded corner.
    page = QPainterPath()
    page.moveTo(300, 220)
    page.lineTo(620, 220)
    page.lineTo(740, 340)
    page.lineTo(740, 810)
    page.lineTo(300, 810)
    page.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(page)
    p.setBrush(QColor("#c9d8f2"))
    fold = QPainterPath()
    fold.moveTo(620, 220)
    fold.lineTo(620, 340)
    fold.lineTo(740, 340)
    fold.closeSubpath()
    p.drawPath(fold)
    # Lines of text and the check mark.
    p.setBrush(QColor("#9db5df"))
    for y in (400, 470, 540):
        p.drawRoundedRect(QRectF(360, y, 300, 28), 14, 14)
    pen = QPen(
        QColor("#2e9e5b"), 64, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    p.setPen(pen)
    p.drawPolyline([QPointF(390, 680), QPointF(470, 750), QPointF(640, 600)])
    p.end()
    return image


def main() -> None:
    QGuiApplication([])
    png = HERE / "maitre-ao.png"
    draw().save(str(png))
    with Image.open(png) as img:
        img.save(
            HERE / "maitre-ao.ico",
            sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
        )
        img.save(HERE / "maitre-ao.icns")
    print("icons written to", HERE)


if __name__ == "__main__":
    main()
