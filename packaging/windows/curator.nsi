; NSIS installer for Curator on 64-bit Windows.
;   makensis -DVERSION=0.1.0 -DAPPDIR=dist/curator -DOUTFILE=dist/curator-0.1.0-setup.exe packaging/windows/curator.nsi
; (packaging/windows/make_installer.sh does this). It needs makensis 3 with the amd64-unicode stubs: Debian's and
; Ubuntu's nsis package has them, the NSIS download for Windows does not.
;
; For the current user by default, with no administrator rights: %LOCALAPPDATA%\Programs\Curator, registered under
; HKCU. For everyone: run the installer as administrator and choose "Everyone" on its first page, or pass /AllUsers
; (from an elevated prompt; /S makes it silent): %ProgramFiles%\Curator, registered under HKLM.
; The uninstaller keeps the user's settings (%APPDATA%\Curator) and cache (%LOCALAPPDATA%\curator) unless
; "Remove my settings and cache" is ticked, or /RemoveSettings is passed.
Target amd64-unicode
ManifestDPIAware true
!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "Sections.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef APPDIR
  !define APPDIR "..\..\dist\curator"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\curator-${VERSION}-setup.exe"
!endif
!define NAME "Curator"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Curator"
!define ELEVATION_REQUIRED 740 ; ERROR_ELEVATION_REQUIRED, the exit code when /AllUsers lacks the rights

Name "${NAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "${NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${NAME}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${NAME} installer"
VIAddVersionKey "LegalCopyright" "Curator developers"

Var AllUsers     ; 1: for everyone (HKLM, Program Files); 0: for the current user (HKCU, LocalAppData)
Var DirGiven     ; 1: /D= on the command line chose the folder
Var ModeDialog
Var ModeJustMe

!define MUI_ICON "..\..\resources\icons\curator.ico"
!define MUI_UNICON "..\..\resources\icons\curator.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\curator.exe"
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_PAGE_WELCOME
Page custom ModePage ModePageLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function IsAdmin ; pushes 1 when this process has administrator rights (run as administrator), else 0
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 == "Admin"
    Push 1
  ${Else}
    Push 0
  ${EndIf}
FunctionEnd

Function ApplyMode ; the shell folders, the registry root (SHCTX) and the default folder of $AllUsers's mode
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ${If} $DirGiven != 1
    ReadRegStr $INSTDIR SHCTX "${UNINSTALL_KEY}" "InstallLocation" ; where an earlier install of this mode went
    ${If} $INSTDIR == ""
    ${AndIf} $AllUsers == 1
      StrCpy $INSTDIR "$PROGRAMFILES64\${NAME}"
    ${ElseIf} $INSTDIR == ""
      StrCpy $INSTDIR "$LOCALAPPDATA\Programs\${NAME}"
    ${EndIf}
  ${EndIf}
FunctionEnd

Function .onInit
  StrCpy $DirGiven 0
  ${If} $INSTDIR != "" ; only /D= sets it before .onInit: there is no InstallDir
    StrCpy $DirGiven 1
  ${EndIf}
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AllUsers" $R1
  ${IfNot} ${Errors}
    Call IsAdmin
    Pop $R1
    ${If} $R1 != 1
      MessageBox MB_OK|MB_ICONSTOP "Installing for all users needs administrator rights: run the installer as administrator." /SD IDOK
      SetErrorLevel ${ELEVATION_REQUIRED}
      Quit
    ${EndIf}
    StrCpy $AllUsers 1
  ${EndIf}
  Call ApplyMode
FunctionEnd

Function ModePage ; shown only when the installer runs as administrator: for me, or for everyone
  Call IsAdmin
  Pop $R1
  ${If} $R1 != 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Who is Curator for?" "Install it for you alone, or for everyone on this computer."
  nsDialogs::Create 1018
  Pop $ModeDialog
  ${NSD_CreateRadioButton} 0 10u 100% 12u "Just for me (no administrator rights needed to update or remove it)"
  Pop $ModeJustMe
  ${NSD_CreateRadioButton} 0 30u 100% 12u "For everyone on this computer (Program Files)"
  Pop $R2
  ${If} $AllUsers == 1
    ${NSD_Check} $R2
  ${Else}
    ${NSD_Check} $ModeJustMe
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $ModeJustMe $R1
  ${If} $R1 == ${BST_CHECKED}
    StrCpy $AllUsers 0
  ${Else}
    StrCpy $AllUsers 1
  ${EndIf}
  Call ApplyMode
FunctionEnd

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
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "Curator developers"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\curator.exe"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.Curator" UnSecMain
  SectionIn RO
  Delete "$DESKTOP\Curator.lnk"
  RMDir /r "$SMPROGRAMS\Curator"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\curator.exe"
  Delete "$INSTDIR\curator-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
SectionEnd

Section /o "un.Remove my settings and cache" UnSecSettings
  SetShellVarContext current ; the user's own folders, after an install for everyone too
  RMDir /r "$APPDATA\Curator"
  RMDir /r "$LOCALAPPDATA\curator"
SectionEnd

Function un.onInit
  ; installed for everyone when the HKLM entry points at this folder
  ReadRegStr $R0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $R0 == $INSTDIR
    UserInfo::GetAccountType
    Pop $R1
    ${If} $R1 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "Curator was installed for all users: run its uninstaller as administrator." /SD IDOK
      SetErrorLevel ${ELEVATION_REQUIRED}
      Quit
    ${EndIf}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/RemoveSettings" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecSettings}
  ${EndIf}
FunctionEnd
