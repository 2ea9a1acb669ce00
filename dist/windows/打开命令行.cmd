@echo off
rem Opens a command prompt in this folder, where gongshi.exe is.
cd /d "%~dp0"
title gongshi
cmd /k gongshi --help
