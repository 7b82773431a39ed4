import { defineMessages } from '../../platform/i18n/messages.ts';

/** Messages of the site (the documentation of the open data API, the accessibility statement), in the three languages side by side. The English keys define the shape. */
export const siteMessages = defineMessages({
  en: {
    'nav.api': 'Open data API',
    'nav.accessibility': 'Accessibility',
    'accessibility.title': 'Accessibility statement',
    'api.title': 'Open data API',
    'api.datasets': 'Datasets',
    'api.intro': 'Everything the platform publishes is also available as JSON, free to reuse. The API is described by an OpenAPI 3.1 document.',
    'api.openapi': 'OpenAPI document',
    'api.parameters': 'Parameters',
    'api.responses': 'Responses',
    'api.example': 'Example',
    'api.name': 'Name',
    'api.in': 'In',
    'api.required': 'Required',
    'api.description': 'Description',
    'api.yes': 'yes',
    'api.no': 'no',
  },
  'zh-Hant': {
    'nav.api': '開放數據 API',
    'nav.accessibility': '無障礙',
    'accessibility.title': '無障礙聲明',
    'api.title': '開放數據 API',
    'api.datasets': '數據集',
    'api.intro': '平台公開的所有資料亦以 JSON 格式提供，可自由再用。API 以 OpenAPI 3.1 文件描述。',
    'api.openapi': 'OpenAPI 文件',
    'api.parameters': '參數',
    'api.responses': '回應',
    'api.example': '示例',
    'api.name': '名稱',
    'api.in': '位置',
    'api.required': '必填',
    'api.description': '說明',
    'api.yes': '是',
    'api.no': '否',
  },
  'zh-Hans': {
    'nav.api': '开放数据 API',
    'nav.accessibility': '无障碍',
    'accessibility.title': '无障碍声明',
    'api.title': '开放数据 API',
    'api.datasets': '数据集',
    'api.intro': '平台公开的所有数据亦以 JSON 格式提供，可自由复用。API 以 OpenAPI 3.1 文档描述。',
    'api.openapi': 'OpenAPI 文档',
    'api.parameters': '参数',
    'api.responses': '响应',
    'api.example': '示例',
    'api.name': '名称',
    'api.in': '位置',
    'api.required': '必填',
    'api.description': '说明',
    'api.yes': '是',
    'api.no': '否',
  },
});

type SiteMessages = typeof siteMessages.en;
declare module '../../platform/i18n/messages.ts' {
  interface MessageCatalogue extends SiteMessages {}
}
