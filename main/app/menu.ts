/** The application menu, rebuilt when the settings language changes (menu-model.ts has the template). */
import { app, Menu, shell } from 'electron';
import { CHANNELS } from '../../shared/contract';
import type { Language } from './desktop-model';
import { menuTemplate } from './menu-model';
import { isAllowedExternal } from './urls';
import { frontWindow } from './windows';

export function createMenuRenderer(dev: boolean): (language: Language) => void {
  let shown: Language | null = null;
  return (language) => {
    if (language === shown) return;
    shown = language;
    const template = menuTemplate({
      platform: process.platform,
      language,
      packaged: app.isPackaged,
      dev,
      newCampaign: () => {
        frontWindow()?.webContents.send(CHANNELS.event, 'app.command', { command: 'new-campaign' });
      },
      openLink: (url) => {
        if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
}
