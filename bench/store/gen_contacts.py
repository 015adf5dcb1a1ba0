#!/usr/bin/env python3
"""Writes N synthetic contacts as CSV (the import benchmark's input)."""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
locales = ["da", "sv", "en", "pt-BR", "ar", "uk", "de"]
zones = ["Europe/Copenhagen", "Europe/Stockholm", "Europe/London", "America/Sao_Paulo"]
names = ["Søren Ærø", "Åsa Öberg", "João Gonçalves", "محمد علي", "Olena Kovalenko", "Maria Jensen"]
rnd = random.Random(42)
out = sys.stdout
out.write("email,phone,name,locale,timezone,role,city\n")
for i in range(n):
    out.write(f"person{i}@example.org,+4520{i:06d},{names[i % len(names)]} {i},{locales[i % len(locales)]},"
              f"{zones[i % len(zones)]},{'mentor' if i % 10 == 0 else 'newcomer'},City{rnd.randint(1, 50)}\n")
