; NSIS installer for Curator: a per-user install that needs no administrator rights.
; makensis /DVERSION=0.1.0 /DAPPDIR=dist\curator /DOUTFILE=dist\curator-0.1.0-setup.exe packaging\windows\curator.nsi
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z"
!endif
!ifndef APPDIR
  !define APPDIR "..\..\dist\curator"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\curator-${VERSION}-setup.exe"
!endif
!define NAME "Curator"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Curator"

Name "${NAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Curator"
InstallDirRegKey HKCU "Software\Curator" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "${NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${NAME}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${NAME} installer"
VIAddVersionKey "LegalCopyright" "Curator developers"

!define MUI_ICON "..\..\resources\icons\curator.ico"
!define MUI_UNICON "..\..\resources\icons\curator.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\curator.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Curator" SecMain
  SectionIn RO
  ; replace an older version completely so no stale library lingers
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${APPDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\Curator"
  CreateShortCut "$SMPROGRAMS\Curator\Curator.lnk" "$INSTDIR\curator.exe"
  CreateShortCut "$SMPROGRAMS\Curator\Uninstall Curator.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\Curator.lnk" "$INSTDIR\curator.exe"
  WriteRegStr HKCU "Software\Curator" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Curator developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\curator.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\Curator.lnk"
  RMDir /r "$SMPROGRAMS\Curator"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\curator.exe"
  Delete "$INSTDIR\curator-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Curator"
SectionEnd
